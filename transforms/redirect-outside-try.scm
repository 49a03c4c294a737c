; redirect-outside-try: calls that may be next/navigation's throwing helpers, `f(...)` and
; `ns.f(...)`. Which of them are bound to the 'next/navigation' import, and which try catches
; them, is decided in the code with the scope model (an alias can carry any name, so every call
; is a candidate here). The callee's shape is checked there too: a pattern that spells it out
; took 10 ms to compile per grammar, one that captures the callee field 4, a bare node kind
; about half of that, paid on every run that has a candidate.

(call_expression) @call
