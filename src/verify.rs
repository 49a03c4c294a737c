//! The second, complete parser and the name checks.
//!
//! tree-sitter-typescript is what the transforms read, but its grammar misses some valid code
//! (a bare `&` in JSX text, a tagged template with type arguments, ...), and it accepts some
//! invalid code. oxc's parser is complete (it is what oxlint and rolldown parse with), so it is the
//! judge of whether a file is valid, and its semantic analysis tells which names an output leaves
//! unresolved or declares twice. Only files the engine already parses pay for it: an input with
//! tree-sitter errors, and the outputs of files that change.

use oxc_allocator::Allocator;
use oxc_diagnostics::OxcDiagnostic;
use oxc_parser::Parser;
use oxc_semantic::SemanticBuilder;
use oxc_span::SourceType;
use std::collections::BTreeSet;
use std::path::Path;

/// The global object's read-only values and the built-ins the rules emit: an output may name them
/// where its input did not (a `redirect()` without an argument, moved out of a try, leaves
/// `redirectPath = undefined`; async-server-exports turns a return type `T` into `Promise<T>`;
/// action-state-initial-type writes `useActionState<State, FormData>`).
/// Unresolved in an output, they can only mean the global.
const ALWAYS_GLOBAL: &[&str] = &["undefined", "NaN", "Infinity", "Promise", "FormData"];

/// What oxc makes of one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The text is valid: the names it does not resolve and the semantic errors it has.
    Valid(Names),
    /// oxc rejects the text: its first error, at a byte offset.
    Invalid { offset: usize, message: String },
}

/// The facts an output is held to against its input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    /// Names referenced but declared nowhere in the module (globals such as `console`).
    pub unresolved: BTreeSet<String>,
    /// Semantic errors ("Identifier `x` has already been declared"), as messages, sorted; the
    /// same message may occur more than once.
    pub semantic_errors: Vec<String>,
}

impl Names {
    /// What `output` has that these facts (of its input) do not: a message per new problem.
    pub fn new_problems(&self, output: &Names) -> Vec<String> {
        let mut problems: Vec<String> = output
            .unresolved
            .difference(&self.unresolved)
            .filter(|name| !ALWAYS_GLOBAL.contains(&name.as_str()))
            .map(|name| format!("`{name}` would be referenced but not declared"))
            .collect();
        let mut allowed = self.semantic_errors.clone();
        for error in &output.semantic_errors {
            match allowed.iter().position(|e| e == error) {
                Some(i) => {
                    allowed.swap_remove(i);
                }
                None => problems.push(error.clone()),
            }
        }
        problems
    }

    /// Facts that allow what any of `inputs` allows (a created file counts against the files its
    /// code came from).
    pub fn union<'n>(inputs: impl IntoIterator<Item = &'n Names>) -> Names {
        let mut all = Names::default();
        for names in inputs {
            all.unresolved.extend(names.unresolved.iter().cloned());
            all.semantic_errors.extend(names.semantic_errors.iter().cloned());
        }
        all.semantic_errors.sort();
        all
    }
}

/// How oxc reads a file: TypeScript without JSX for `.ts .mts .cts`, TSX for `.tsx`, JavaScript
/// with JSX for the rest (as the tree-sitter side does). `.cjs`/`.cts` are CommonJS and
/// `.mjs`/`.mts` modules; `.js .jsx .ts .tsx` are a module when they hold `import`/`export`.
pub fn source_type(path: &Path) -> SourceType {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("js");
    let source_type = SourceType::from_extension(extension).unwrap_or_else(|_| SourceType::jsx());
    if source_type.is_javascript() {
        source_type.with_jsx(true)
    } else {
        source_type
    }
}

/// Parses `text` with oxc and, when it parses, runs the semantic analysis with its syntax checks.
pub fn check(text: &str, path: &Path) -> Verdict {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, text, source_type(path)).parse();
    if parsed.panicked || parsed.diagnostics.has_errors() {
        // oxc reports errors in the order it meets them.
        let first = parsed.diagnostics.errors().next();
        return Verdict::Invalid {
            offset: first.map_or(0, first_offset),
            message: first.map_or_else(|| "the parser gave up".to_string(), |d| d.message.to_string()),
        };
    }
    let semantic = SemanticBuilder::new()
        .with_check_syntax_error(true)
        .build(&parsed.program);
    let mut semantic_errors: Vec<String> = semantic.diagnostics.errors().map(|d| d.message.to_string()).collect();
    semantic_errors.sort();
    let unresolved = semantic
        .semantic
        .scoping()
        .root_unresolved_references()
        .keys()
        .map(|name| name.to_string())
        .collect();
    Verdict::Valid(Names {
        unresolved,
        semantic_errors,
    })
}

/// Where an error is: its primary label (an unclosed `{` has a second one, "opened here"), else
/// its first.
fn first_offset(diagnostic: &OxcDiagnostic) -> usize {
    let labels = &diagnostic.labels;
    labels
        .iter()
        .find(|label| label.primary())
        .or_else(|| labels.first())
        .map_or(0, |label| label.offset() as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str, path: &str) -> Names {
        match check(text, Path::new(path)) {
            Verdict::Valid(names) => names,
            Verdict::Invalid { message, .. } => panic!("{path}: {message}"),
        }
    }

    #[test]
    fn reads_each_extension_as_its_tools_do() {
        // `<T>x` is a cast in .ts, JSX in .tsx; JavaScript files may hold JSX.
        names("const a = <number>(1 as unknown);\n", "a.ts");
        names("export const a = <b>x</b>;\n", "a.tsx");
        names("export const a = <b>x</b>;\n", "a.js");
        names("module.exports = { a: <b /> };\n", "next.config.cjs");
        assert!(matches!(
            check("const a = <b>x</b>;\n", Path::new("a.ts")),
            Verdict::Invalid { .. }
        ));
        assert!(matches!(
            check("let a: number = 1;\n", Path::new("a.js")),
            Verdict::Invalid { .. }
        ));
    }

    #[test]
    fn accepts_what_tree_sitter_typescript_cannot_read() {
        names("export const a = <p>Save & Close</p>;\n", "a.tsx");
        names("export const a = <a href=\"/x?a=1&b=2\">x</a>;\n", "a.tsx");
        names(
            "declare const db: any;\nexport const r = db.$queryRaw<number[]>`SELECT 1`;\n",
            "a.ts",
        );
        names(
            "declare function load<T>(): T;\nexport const m = load<typeof import('./m')>();\n",
            "a.ts",
        );
    }

    #[test]
    fn rejects_invalid_code_at_its_first_error() {
        let text = "export function F() {\n  const x = ;\n  const y = ;\n}\n";
        let Verdict::Invalid { offset, .. } = check(text, Path::new("a.tsx")) else {
            panic!("accepted");
        };
        assert_eq!(offset, text.find(';').unwrap());
    }

    #[test]
    fn an_output_may_not_gain_unresolved_names_or_redeclarations() {
        let input = names("import { a } from 'm';\nconsole.log(a);\n", "a.ts");
        assert_eq!(input.unresolved, BTreeSet::from(["console".to_string()]));
        let same = names("import { a } from 'm';\nconsole.log(a, a);\n", "a.ts");
        assert!(input.new_problems(&same).is_empty());
        let lost_import = names("console.log(a);\n", "a.ts");
        assert_eq!(
            input.new_problems(&lost_import),
            ["`a` would be referenced but not declared"]
        );
        let twice = names(
            "import { a } from 'm';\nlet b = 1;\nlet b = 2;\nconsole.log(a, b);\n",
            "a.ts",
        );
        assert_eq!(input.new_problems(&twice), ["Identifier `b` has already been declared"]);
        let undefined = names("import { a } from 'm';\nconsole.log(a, undefined);\n", "a.ts");
        assert!(input.new_problems(&undefined).is_empty());
        // A redeclaration the input had already is not the output's doing.
        assert!(twice.new_problems(&twice).is_empty());
    }
}
