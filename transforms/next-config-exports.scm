; next.config rules: the statements that export a Next.js config, at the top level of the file.

; module.exports = <config>
(program
  (expression_statement
    (assignment_expression
      left: (member_expression
        object: (identifier) @module
        property: (property_identifier) @exports)
      right: (_) @config)) @export
  (#eq? @module "module")
  (#eq? @exports "exports"))

; export default <config>
(program
  (export_statement
    "default"
    value: (_) @config) @export)

; export default function (phase) { ... }
(program
  (export_statement
    "default"
    declaration: (function_declaration) @config) @export)
