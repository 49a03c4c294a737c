; directive-placement, async-server-exports, actions-in-pages: statements that may be
; directives. The code keeps those whose expression is a string (or a template literal, or a
; parenthesised string) and reads where they stand: a query that spells out the string kinds
; and the parents compiled several times slower, paid on every run with a candidate.
(expression_statement) @statement
