; use-action-state: where react-dom's useFormState may be bound or reached. The code checks the
; names and the module (the specifier imports `useFormState` from 'react-dom'; the member reads
; `.useFormState` of an identifier): spelled out here, with predicates, the query took three
; times as long to compile, paid by every run that has a candidate.

; import { useFormState } from 'react-dom'  /  import { useFormState as alias } from 'react-dom'
(import_specifier) @specifier

; ReactDOM.useFormState, where ReactDOM may be react-dom's default or namespace import
(member_expression) @member
