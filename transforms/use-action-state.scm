; use-action-state: where react-dom's useFormState is bound or reached.

; import { useFormState } from 'react-dom'  /  import { useFormState as alias } from 'react-dom'
(import_statement
  (import_clause
    (named_imports
      (import_specifier
        name: (identifier) @imported) @specifier))
  source: (string (string_fragment) @source)
  (#eq? @imported "useFormState")
  (#eq? @source "react-dom"))

; ReactDOM.useFormState, where ReactDOM may be react-dom's default or namespace import
(member_expression
  object: (identifier) @object
  property: (property_identifier) @property
  (#eq? @property "useFormState")) @member
