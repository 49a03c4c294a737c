; redirect-outside-try: try statements. Which have a catch clause, and their blocks, is read in
; the code: a pattern that spelled out the body and handler fields cost half as much again to
; compile, paid by every run with a candidate. The call query (redirect-outside-try.scm) only
; runs inside those blocks.
(try_statement) @try
