; redirect-outside-try: the blocks of try statements that have a catch clause. The call query
; (redirect-outside-try.scm) only runs inside these.
(try_statement
  body: (statement_block) @block
  handler: (catch_clause))
