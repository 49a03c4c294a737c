//! # redirect-outside-try
//!
//! **What it does.** Stops a `try`/`catch` from swallowing `redirect()`, `permanentRedirect()`,
//! `notFound()`, `forbidden()` and `unauthorized()` from `next/navigation`, in one of two styles:
//!
//! - *hoist* (Next 14 and 15), for a lone call that is the last statement of the try block: the
//!   call moves after the try statement. When the catch can never complete normally the call
//!   itself moves (or its argument is kept in `let redirectPath: string;` when it depends on the
//!   try); when it can, the call is guarded by a variable or flag (`if (redirectPath)
//!   redirect(redirectPath);`, `if (shouldNotFound) notFound();`).
//! - *rethrow* (Next 15), for every other call: `unstable_rethrow(err);` becomes the first
//!   statement of the catch, which keeps control flow and type narrowing exactly as they were.
//!
//! **Why.** These helpers work by throwing. A catch that handles every error catches the
//! redirect: the action "runs" but nobody is redirected (or sees `Error: NEXT_REDIRECT`), and a
//! page calling `notFound()` answers 200. The rules keep TypeScript's view of the function: the
//! hoisted call only goes unguarded where the catch never completes, so the end of the function
//! stays unreachable and inferred return types (`Promise<State>` for `useActionState`) do not
//! change.
//!
//! **Example.**
//! ```text
//! try {                                       try {
//!   await db.post.create({ data });             await db.post.create({ data });
//!   redirect('/posts');                   →   } catch (err) {
//! } catch (err) {                               return { error: 'Failed' };
//!   return { error: 'Failed' };               }
//! }                                           redirect('/posts');
//! ```
//!
//! **Not applied.** Catches that already let the error out: followed through the catch (`e
//! instanceof AuthError` is false for it, `isRedirectError(e)` and its kin are exact, other
//! conditions go both ways), every path ends in `throw e`, `unstable_rethrow(e)` or the same call
//! again (`catch { notFound(); }`), with no call on the way (a log would see every redirect as a
//! failure: that catch is rewritten). Calls in nested functions, outside any
//! try, or of a local function named `redirect`. The rethrow style with `--to 14` (Next 14 has no
//! `unstable_rethrow`) or with a destructured catch parameter: a finding instead.
//! `--redirect-style hoist|rethrow` forces one style; where it does not apply, a finding.
//!
//! **NextAuth.** Server-side `signIn()`/`signOut()` of NextAuth v5 throw Next's redirect error
//! too (unless called with a literal `redirect: false`): where the import resolves to a module
//! that exports them from a `NextAuth(...)` call, directly or re-exported, they are targets in
//! the rethrow style only (never moved: they can fail for other reasons the catch must see).

mod catch;
mod emit;
mod find;

use catch::*;
use emit::*;
use find::*;

use crate::fix::{Edit, Outcome};
use crate::imports::{append_named, import_insertion_point, import_statement, insert_statement, specifier};
use crate::lines::line_range;
use crate::scope::{BindingKind, Imported, ScopeId, ScopeTree};
use crate::style::{Style, indent_at};
use crate::syntax::is_function;
use crate::target::Needs;
use crate::transforms::{Meta, QuerySet, RedirectStyle, SourceFile, Transform, matches_around};
use std::collections::HashMap;
use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, QueryCursor};

pub struct RedirectOutsideTry;

static META: Meta = Meta {
    name: "redirect-outside-try",
    summary: "redirect()/notFound() swallowed by try/catch → call after the try, or unstable_rethrow",
    // A try that can swallow a call has a catch: "catch" is rarer than "try" (entry, retry, country).
    // NextAuth's helpers come from the app's own auth module.
    words: &[
        &["next/navigation", "catch"],
        &["signIn", "catch"],
        &["signOut", "catch"],
    ],
    needs: "hoist: Next 14 or 15; rethrow: Next 15 (a finding with --to 14)",
    queries: &[&QUERY, &TRY_BLOCKS],
};

static QUERY: QuerySet = QuerySet::new(include_str!("../../../transforms/redirect-outside-try.scm"));
static TRY_BLOCKS: QuerySet = QuerySet::new(include_str!("../../../transforms/redirect-outside-try-tries.scm"));

const MODULE: &str = "next/navigation";
const RETHROW: &str = "unstable_rethrow";

/// One of the helpers that work by throwing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Redirect,
    PermanentRedirect,
    NotFound,
    Forbidden,
    Unauthorized,
    /// NextAuth v5's server-side `signIn`/`signOut`: they throw Next's redirect error too.
    SignIn,
    SignOut,
}

impl Kind {
    fn from_name(name: &str) -> Option<Kind> {
        Some(match name {
            "redirect" => Kind::Redirect,
            "permanentRedirect" => Kind::PermanentRedirect,
            "notFound" => Kind::NotFound,
            "forbidden" => Kind::Forbidden,
            "unauthorized" => Kind::Unauthorized,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Redirect => "redirect",
            Kind::PermanentRedirect => "permanentRedirect",
            Kind::NotFound => "notFound",
            Kind::Forbidden => "forbidden",
            Kind::Unauthorized => "unauthorized",
            Kind::SignIn => "signIn",
            Kind::SignOut => "signOut",
        }
    }

    /// NextAuth's helpers, which come from the app's auth module, not `next/navigation`.
    fn from_auth_name(name: &str) -> Option<Kind> {
        match name {
            "signIn" => Some(Kind::SignIn),
            "signOut" => Some(Kind::SignOut),
            _ => None,
        }
    }

    fn is_auth(self) -> bool {
        matches!(self, Kind::SignIn | Kind::SignOut)
    }

    /// The variable (URL) or flag that carries the call past the try.
    fn variable(self) -> &'static str {
        match self {
            Kind::Redirect | Kind::SignIn | Kind::SignOut => "redirectPath",
            Kind::PermanentRedirect => "permanentRedirectPath",
            Kind::NotFound => "shouldNotFound",
            Kind::Forbidden => "shouldForbid",
            Kind::Unauthorized => "shouldUnauthorize",
        }
    }

    /// It throws a redirect (with a URL), which `isRedirectError` recognises.
    fn takes_url(self) -> bool {
        matches!(
            self,
            Kind::Redirect | Kind::PermanentRedirect | Kind::SignIn | Kind::SignOut
        )
    }
}

/// A call of one of the helpers, bound to the `next/navigation` import.
#[derive(Clone, Copy)]
struct SwallowedCall<'t> {
    call: Node<'t>,
    kind: Kind,
}

/// How the hoisted call is carried past the try.
enum Carry {
    /// The call itself moves.
    Move,
    /// `let redirectPath: string;` … `redirect(redirectPath);` (the catch never completes).
    Variable,
    /// `let redirectPath: string | null = null;` … `if (redirectPath) redirect(redirectPath);`
    Guard,
}

impl Transform for RedirectOutsideTry {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn run(&self, file: &SourceFile) -> Outcome {
        let mut outcome = Outcome::default();
        // No value import of a helper (or of the namespace): nothing can be a target.
        // The names a helper can be called by here: its local import names, and `ns` of a
        // namespace import. Nothing imported, nothing to do; and calls by other names are
        // dropped before the scope model is built.
        let mut callee_names: Vec<String> = Vec::new();
        for decl in file.imports().iter().filter(|d| d.source == MODULE && !d.type_only) {
            callee_names.extend(decl.namespace.iter().map(|(name, _)| name.clone()));
            let helpers = decl
                .named
                .iter()
                .filter(|s| !s.type_only && Kind::from_name(&s.imported).is_some());
            callee_names.extend(helpers.map(|s| s.local.clone()));
        }
        // NextAuth's `signIn`/`signOut`, imported from the module that made them.
        for decl in file.imports().iter().filter(|d| d.source != MODULE && !d.type_only) {
            let helpers = decl.named.iter().filter(|s| {
                !s.type_only
                    && Kind::from_auth_name(&s.imported).is_some()
                    && find::is_auth_import(file, &decl.source, &s.imported)
            });
            callee_names.extend(helpers.map(|s| s.local.clone()));
        }
        if callee_names.is_empty() {
            return outcome;
        }
        let calls = candidate_calls(file, &callee_names);
        if calls.is_empty() {
            return outcome;
        }
        let scopes = file.scopes();
        let tries = owning_tries(file, scopes, &calls);
        if tries.is_empty() {
            return outcome;
        }
        let mut run = Run {
            file,
            scopes,
            style: file.style().clone(),
            taken: HashMap::new(),
            rethrow_callee: None,
            auth_targets: false,
        };
        // Tries inside one rewritten here wait for the next pass, so edits never overlap. The
        // tries come in source order and the rewritten ones are disjoint: only the last can hold
        // the next.
        let mut rewritten: Vec<std::ops::Range<usize>> = Vec::new();
        // Whether the output leaves this rule nothing to do: every try fixed, none inside or
        // around another try (a call moved out of one may land in the next), nothing to say.
        let mut settles = true;
        for (try_node, targets) in tries {
            let range = try_node.byte_range();
            if rewritten
                .last()
                .is_some_and(|r| r.start <= range.start && range.end <= r.end)
            {
                settles = false;
                continue;
            }
            let mut edits = Vec::new();
            run.fix_try(try_node, &targets, &mut edits, &mut outcome);
            if edits.is_empty() {
                settles = false;
            } else {
                settles &= !find::nested_with_another_try(try_node);
                rewritten.push(range);
                outcome.fix("Let the redirect error out of this try", edits);
            }
        }
        outcome.settles = settles && outcome.notes.is_empty() && outcome.held_back == 0;
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply_edits;
    use crate::parse::{Lang, Parsers};
    use crate::target::Target;
    use crate::transforms::Options;
    use std::path::Path;

    /// One pass: the new text, the notes and the needs.
    fn pass(text: &str, options: &Options, target: Target) -> (String, Vec<String>, Needs) {
        let path = Path::new("app/actions.ts");
        let lang = Lang::TypeScript;
        let tree = Parsers::new().parse(lang, text, None).unwrap();
        assert!(!tree.root_node().has_error(), "{text}");
        let file = SourceFile::new(path, text, &tree, lang, target, options);
        let outcome = RedirectOutsideTry.run(&file);
        let notes = outcome.notes.iter().map(|n| n.message.clone()).collect();
        (apply_edits(text, &outcome.all_edits()).unwrap(), notes, outcome.needs)
    }

    /// Passes to a fixpoint, as the engine runs them.
    fn fix(text: &str) -> String {
        let mut text = text.to_string();
        for _ in 0..5 {
            let (next, _, _) = pass(&text, &Options::default(), Target::NEXT_15);
            if next == text {
                return text;
            }
            text = next;
        }
        panic!("no fixpoint:\n{text}");
    }

    fn action(body: &str) -> String {
        format!(
            "import {{ redirect, notFound }} from 'next/navigation';\n\nexport async function f(p: string) {{\n{body}}}\n"
        )
    }

    /// Whether the pass says it settles, and what a second pass on its output finds.
    fn settles_then_again(text: &str, options: &Options) -> (bool, usize, usize) {
        let path = Path::new("app/actions.ts");
        let lang = Lang::TypeScript;
        let run = |text: &str| {
            let tree = Parsers::new().parse(lang, text, None).unwrap();
            let file = SourceFile::new(path, text, &tree, lang, Target::NEXT_15, options);
            let outcome = RedirectOutsideTry.run(&file);
            (apply_edits(text, &outcome.all_edits()).unwrap(), outcome)
        };
        let (output, first) = run(text);
        let (_, second) = run(&output);
        (first.settles, second.all_edits().len(), second.notes.len())
    }

    #[test]
    fn a_pass_that_says_it_settles_leaves_itself_nothing_to_do() {
        let plain = "  try {\n    await g();\n    redirect('/a');\n  } catch (e) {\n    return 1;\n  }\n";
        let two = "  try {\n    redirect('/a');\n  } catch {\n    return 1;\n  }\n  try {\n    notFound();\n  } catch (e) {\n    log(e);\n  }\n";
        let nested = "  try {\n    try {\n      redirect('/a');\n    } catch {\n      return 1;\n    }\n  } catch {\n    return 2;\n  }\n";
        let around = "  try {\n    await g();\n  } catch {\n    try {\n      redirect('/b');\n    } catch {\n      return 3;\n    }\n  }\n";
        for style in [RedirectStyle::Hoist, RedirectStyle::Rethrow] {
            let options = Options {
                redirect_style: Some(style),
                ..Options::default()
            };
            for (body, expected) in [(plain, true), (two, true), (nested, false), (around, false)] {
                let (settles, edits, notes) = settles_then_again(&action(body), &options);
                assert_eq!(settles, expected, "{style:?}:\n{body}");
                if settles {
                    assert_eq!(
                        (edits, notes),
                        (0, 0),
                        "{style:?}: said it settles, then changed:\n{body}"
                    );
                }
            }
        }
    }

    #[test]
    fn an_argument_the_try_assigns_is_kept_in_a_variable() {
        let out = fix(&action(
            "  let url = '/a';\n  try {\n    url = await g();\n    redirect(url);\n  } catch {\n    return 1;\n  }\n",
        ));
        assert!(out.contains("  let redirectPath: string;\n  try {"), "{out}");
        assert!(out.contains("    redirectPath = url;\n"), "{out}");
        assert!(out.contains("  }\n  redirect(redirectPath);\n"), "{out}");
    }

    #[test]
    fn a_finally_keeps_assignable_bindings_in_place() {
        let body = "  const c = '/c';\n  try {\n    await g();\n    redirect(p + c);\n  } catch {\n    return 1;\n  } finally {\n    done();\n  }\n";
        let out = fix(&action(body));
        assert!(
            out.contains("redirectPath = p + c;"),
            "a parameter may change in the finally:\n{out}"
        );
        let out = fix(&action(&body.replace("p + c", "c + '/x'")));
        assert!(out.contains("  }\n  redirect(c + '/x');\n}"), "a const may not:\n{out}");
    }

    #[test]
    fn calls_and_member_reads_are_not_moved() {
        for arg in ["g()", "p.length + ''", "`/${await g()}`", "(p = 'x')"] {
            let out = fix(&action(&format!(
                "  try {{\n    await g();\n    redirect({arg});\n  }} catch {{\n    return 1;\n  }}\n"
            )));
            assert!(out.contains(&format!("redirectPath = {arg};")), "{arg}:\n{out}");
        }
    }

    #[test]
    fn a_catch_ending_in_if_else_that_both_leave_never_completes() {
        let never = "  try {\n    await g();\n    notFound();\n  } catch (e) {\n    if (e) {\n      return 1;\n    } else throw e;\n  }\n";
        assert!(fix(&action(never)).contains("  }\n  notFound();\n}"));
        let may = never.replace("    } else throw e;\n", "    }\n");
        let out = fix(&action(&may));
        assert!(
            out.contains("  let shouldNotFound = false;\n") && out.contains("  if (shouldNotFound) notFound();\n"),
            "{out}"
        );
    }

    #[test]
    fn access_fallback_checks_cover_not_found_only() {
        let body = "  try {\n    if (!p) notFound();\n    await g();\n  } catch (e) {\n    if (isHTTPAccessFallbackError(e)) throw e;\n    return 1;\n  }\n";
        assert_eq!(fix(&action(body)), action(body));
        let redirected = body.replace("notFound()", "redirect('/')");
        assert!(fix(&action(&redirected)).contains("  } catch (e) {\n    unstable_rethrow(e);\n    if (isHTTP"));
    }

    #[test]
    fn unstable_rethrow_is_imported_once_and_aliased_when_taken() {
        let body = "  try {\n    if (p) redirect('/a');\n  } catch (e) {\n    return 1;\n  }\n  try {\n    if (p) notFound();\n  } catch (e) {\n    return 2;\n  }\n";
        let out = fix(&action(body));
        assert_eq!(out.matches("unstable_rethrow").count(), 3, "{out}");
        assert!(out.starts_with("import { redirect, notFound, unstable_rethrow } from 'next/navigation';"));
        let taken = format!("const unstable_rethrow = 1;\n{}", action(body));
        let out = fix(&taken);
        assert!(
            out.contains("import { redirect, notFound, unstable_rethrow as unstable_rethrow2 }"),
            "{out}"
        );
        assert_eq!(out.matches("unstable_rethrow2(e);").count(), 2, "{out}");
    }

    #[test]
    fn partly_rethrowing_catches_get_the_rethrow_style_or_on_next_14_the_hoist() {
        let body = action(
            "  try {\n    await g();\n    notFound();\n  } catch (e) {\n    if (isRedirectError(e)) throw e;\n    return 1;\n  }\n",
        );
        let (out, _, _) = pass(&body, &Options::default(), Target::NEXT_15);
        assert!(out.contains("  } catch (e) {\n    unstable_rethrow(e);\n"), "{out}");
        let (out, notes, needs) = pass(&body, &Options::default(), Target::NEXT_14);
        assert!(out.contains("  }\n  notFound();\n}"), "{out}");
        assert!(notes.is_empty() && needs.is_nothing());
    }

    #[test]
    fn a_try_outside_a_block_gets_the_rethrow_style() {
        let out = fix(&action(
            "  if (p) try {\n    await g();\n    redirect('/a');\n  } catch (e) {\n    return 1;\n  }\n",
        ));
        assert!(out.contains("  } catch (e) {\n    unstable_rethrow(e);\n"), "{out}");
    }

    #[test]
    fn rethrow_needs_next_15_and_a_named_parameter() {
        let body = action("  try {\n    if (p) redirect('/a');\n  } catch (e) {\n    return 1;\n  }\n");
        let (out, notes, needs) = pass(&body, &Options::default(), Target::NEXT_15);
        assert_ne!(out, body);
        assert!(notes.is_empty());
        assert_eq!(needs, Needs::NEXT_15);
        let (out, notes, _) = pass(&body, &Options::default(), Target::NEXT_14);
        assert_eq!(out, body);
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("needs Next 15"), "{notes:?}");
        let destructured = body.replace("catch (e)", "catch ({ message }: any)");
        let (out, notes, _) = pass(&destructured, &Options::default(), Target::NEXT_15);
        assert_eq!(out, destructured);
        assert!(notes[0].contains("destructured"), "{notes:?}");
    }

    #[test]
    fn forced_styles() {
        let body = action("  try {\n    await g();\n    redirect('/a');\n  } catch (e) {\n    return 1;\n  }\n");
        let rethrow = Options {
            redirect_style: Some(RedirectStyle::Rethrow),
            auth: None,
        };
        let (out, _, _) = pass(&body, &rethrow, Target::NEXT_15);
        assert!(out.contains("    unstable_rethrow(e);\n    return 1;"), "{out}");
        let hoist = Options {
            redirect_style: Some(RedirectStyle::Hoist),
            auth: None,
        };
        let two = body.replace("redirect('/a');", "redirect('/a');\n    notFound();");
        let (out, notes, _) = pass(&two, &hoist, Target::NEXT_15);
        assert_eq!(out, two);
        assert!(notes[0].contains("several such calls"), "{notes:?}");
    }

    /// `try { <try_body> } catch <catch> { … }` inside an action, as `action` builds it.
    fn try_catch(try_body: &str, catch: &str) -> String {
        action(&format!(
            "  let url = p;\n  try {{\n    await g();\n{try_body}\n  }} catch {catch}\n  return 0;\n"
        ))
    }

    #[test]
    fn catches_that_let_every_path_of_the_error_out_are_left_alone() {
        let cases = [
            // The issue's two catches: `AuthError` is not what redirect() throws; the same call again.
            (
                "    redirect('/dashboard');",
                "(error) {\n    if (error instanceof AuthError) {\n      return 'Invalid credentials.';\n    }\n    throw error;\n  }",
            ),
            ("    if (!p) notFound();\n    return 1;", "{\n    notFound();\n  }"),
            // Whitespace and comments aside, and through a return.
            (
                "    redirect( `/a/${p}` );",
                "{\n    return redirect(/* again */ `/a/${p}`);\n  }",
            ),
            // Declarations and assignments without calls are passed over.
            (
                "    redirect(url);",
                "(e) {\n    const message = 'failed';\n    let n = 1;\n    n += 1;\n    throw e;\n  }",
            ),
            // Next's checks are exact: `!isRedirectError(e)` is false for a redirect.
            (
                "    redirect(url);",
                "(e) {\n    if (!isRedirectError(e)) {\n      return 1;\n    }\n    throw e;\n  }",
            ),
            (
                "    redirect(url);",
                "(e) {\n    if (isRedirectError(e) || p) throw e;\n    return 1;\n  }",
            ),
            (
                "    notFound();",
                "(e) {\n    if (isNotFoundError(e) && isNextRouterError(e)) unstable_rethrow(e);\n    else return 1;\n  }",
            ),
            // Unknown conditions: both branches are followed, and both let it out.
            (
                "    redirect(url);",
                "(e) {\n    if (p) {\n      throw e;\n    } else unstable_rethrow(e);\n  }",
            ),
            // Any case may match; each runs on to a break or an ending.
            (
                "    redirect(url);",
                "(e) {\n    switch (p) {\n      case 'a':\n      case 'b':\n        throw e;\n      default:\n        unstable_rethrow(e);\n    }\n  }",
            ),
            (
                "    redirect(url);",
                "(e) {\n    switch (p) {\n      case 'a':\n        break;\n    }\n    throw e;\n  }",
            ),
            (
                "    redirect(url);",
                "(e) {\n    if (e instanceof AuthError) {\n      switch (e.type) {\n        case 'x':\n          return 1;\n        default:\n          return 2;\n      }\n    }\n    throw e;\n  }",
            ),
            // A template's `${…}` may be laid out differently (payload's multi-tenant example).
            (
                "    redirect(\n      `/login?next=${encodeURIComponent(\n        `/t/${p}`,\n      )}`,\n    );",
                "{\n    redirect(`/login?next=${encodeURIComponent(`/t/${p}`,)}`)\n  }",
            ),
            // Several targets, each let out.
            (
                "    if (!p) notFound();\n    redirect('/a');",
                "(e) {\n    throw e;\n  }",
            ),
        ];
        for (try_body, catch) in cases {
            let input = try_catch(try_body, catch);
            assert_eq!(fix(&input), input);
        }
    }

    #[test]
    fn catches_that_handle_the_error_on_some_path_are_rewritten() {
        let cases = [
            // The issue's: the log would report every 404 as an error.
            (
                "    if (!p) notFound();",
                "(error) {\n    console.error(error);\n    throw error;\n  }",
            ),
            (
                "    if (p) redirect(url);",
                "(e) {\n    throw new Error('failed');\n  }",
            ),
            // A call in a declaration, in a condition, or before the ending.
            (
                "    if (p) redirect(url);",
                "(e) {\n    const m = format(e);\n    throw e;\n  }",
            ),
            (
                "    if (p) redirect(url);",
                "(e) {\n    if (e.message.includes('x')) throw e;\n    throw e;\n  }",
            ),
            // The parameter no longer holds the error: reassigned, or shadowed.
            (
                "    if (p) redirect(url);",
                "(e) {\n    e = 'failed';\n    throw e;\n  }",
            ),
            (
                "    if (p) redirect(url);",
                "(e) {\n    {\n      const e = 'failed';\n      throw e;\n    }\n  }",
            ),
            // `instanceof Error` is not known to be false: the other branch returns.
            (
                "    if (p) redirect(url);",
                "(e) {\n    if (e instanceof Error) {\n      throw e;\n    } else {\n      return 1;\n    }\n  }",
            ),
            // An early return, and a catch that completes.
            (
                "    if (p) redirect(url);",
                "(e) {\n    if (p) return 1;\n    throw e;\n  }",
            ),
            ("    if (p) redirect(url);", "(e) {\n    if (p) throw e;\n  }"),
            (
                "    if (p) notFound();",
                "(e) {\n    if (isRedirectError(e)) throw e;\n    return 1;\n  }",
            ),
            // Without a parameter only the same call can let it out.
            ("    if (p) redirect('/a');", "{\n    redirect('/b');\n  }"),
            ("    if (p) redirect(`/a ${p}`);", "{\n    redirect(`/a  ${p}`);\n  }"),
            (
                "    if (p) redirect(url);",
                "{\n    url = '/b';\n    redirect(url);\n  }",
            ),
            (
                "    if (!p) notFound();\n    redirect('/a');",
                "{\n    notFound();\n  }",
            ),
            // A switch whose cases may all be skipped, or that runs off its end.
            (
                "    if (p) redirect(url);",
                "(e) {\n    switch (p) {\n      case 'a':\n        throw e;\n    }\n  }",
            ),
            (
                "    if (p) redirect(url);",
                "(e) {\n    switch (p) {\n      case 'a':\n        throw e;\n      default:\n        break;\n    }\n  }",
            ),
            ("    if (p) redirect(url);", "(e) {\n    for (;;) throw e;\n  }"),
        ];
        for (try_body, catch) in cases {
            let input = try_catch(try_body, catch);
            // The rethrow style, or for the lone last call of the try block the hoist style.
            let out = fix(&input);
            assert!(
                out.contains("unstable_rethrow(e") || out.contains("  }\n  redirect('/a');\n"),
                "{catch}\n{out}"
            );
        }
    }

    #[test]
    fn a_redirect_in_a_catch_belongs_to_the_outer_try() {
        let body = "  try {\n    try {\n      await g();\n    } catch {\n      redirect('/a');\n    }\n  } catch (e) {\n    return 1;\n  }\n";
        let out = fix(&action(body));
        assert!(out.contains("  } catch (e) {\n    unstable_rethrow(e);\n"), "{out}");
        assert!(!out.contains("    } catch (err"), "{out}");
    }
}
