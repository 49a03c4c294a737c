; hoist-inline-actions: every function with a block body, the places an inline
; 'use server' directive can stand. The code reads each body's directive prologue.

(function_declaration
  body: (statement_block) @body) @function

(function_expression
  body: (statement_block) @body) @function

(arrow_function
  body: (statement_block) @body) @function

(method_definition
  body: (statement_block) @body) @function
