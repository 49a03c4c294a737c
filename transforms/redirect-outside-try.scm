; redirect-outside-try: calls that may be next/navigation's throwing helpers. Which of them are
; bound to the 'next/navigation' import, and which try catches them, is decided with the scope
; model (an alias can carry any name, so plain calls are all candidates here).

; redirect(...)  /  go(...) where `go` may be `redirect as go`
(call_expression
  function: (identifier) @callee) @call

; nav.redirect(...) where `nav` may be `import * as nav from 'next/navigation'`
(call_expression
  function: (member_expression
    object: (identifier) @object
    property: (property_identifier) @property)
  (#match? @property "^(redirect|permanentRedirect|notFound|forbidden|unauthorized)$")) @call
