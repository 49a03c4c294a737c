; hoist-inline-actions: every function, the places an inline 'use server' directive can stand.
; The code takes the body (a block, for a directive prologue) and reads its directives; a
; pattern per kind with its body spelled out took three times as long to compile.

[
  (function_declaration)
  (function_expression)
  (arrow_function)
  (method_definition)
] @function
