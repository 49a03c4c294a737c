//! The template rule of CONTRIBUTING.md, compiled and run, so the guide cannot fall behind the
//! code: `contributing_template/example_set_mode.rs` is written as a file of `src/transforms/`
//! would be (its `crate::` paths resolve through the `use` below), and the guide must quote it
//! whole.

use nsa_migrate::{fix, scope, syntax, transforms};

#[path = "contributing_template/example_set_mode.rs"]
mod example_set_mode;

use example_set_mode::ExampleSetMode;
use nsa_migrate::apply::fix_to_fixpoint;
use nsa_migrate::fix::line_col;
use nsa_migrate::parse::{Lang, Parsers};
use nsa_migrate::target::Target;
use nsa_migrate::transforms::{FileContext, Options};
use std::path::Path;

/// Runs the rule to its fixpoint as the engine does: the new text (when it changed) and the
/// findings as `line:column: message`.
fn run(text: &str) -> (Option<String>, Vec<String>) {
    let options = Options::default();
    let context = FileContext {
        path: Path::new("app/page.tsx"),
        target: Target::NEXT_15,
        options: &options,
    };
    let fix = fix_to_fixpoint(text, Lang::Tsx, &mut Parsers::new(), &[&ExampleSetMode], &context);
    let findings = fix
        .notes
        .iter()
        .map(|(_, note)| {
            let (line, column) = line_col(text, note.offset);
            format!("{line}:{column}: {}", note.message)
        })
        .collect();
    (fix.output, findings)
}

#[test]
fn rewrites_the_legacy_mode_of_example_lib() {
    let input =
        "import { setMode } from 'example-lib';\n\nsetMode('legacy');\nsetMode(\"legacy\");\nsetMode('fast');\n";
    let (output, findings) = run(input);
    assert_eq!(
        output.as_deref(),
        Some("import { setMode } from 'example-lib';\n\nsetMode('modern');\nsetMode(\"modern\");\nsetMode('fast');\n")
    );
    assert_eq!(findings, Vec::<String>::new());
}

#[test]
fn leaves_other_set_modes_alone() {
    let local = "import 'example-lib';\nfunction setMode(m: string) {}\nsetMode('legacy');\n";
    assert_eq!(run(local), (None, vec![]));
    let other_module = "import { setMode } from 'other-lib';\nsetMode('legacy'); // example-lib\n";
    assert_eq!(run(other_module), (None, vec![]));
}

#[test]
fn a_mode_it_cannot_read_is_a_finding() {
    let input = "import { setMode } from 'example-lib';\nsetMode(process.env.MODE);\n";
    assert_eq!(
        run(input),
        (
            None,
            vec!["2:9: this mode is not a string literal; if it can be 'legacy', make it 'modern'".to_string()]
        )
    );
}

#[test]
fn the_guide_quotes_this_template_whole() {
    let guide = include_str!("../CONTRIBUTING.md");
    let template = include_str!("contributing_template/example_set_mode.rs");
    assert!(
        guide.contains(template),
        "CONTRIBUTING.md must quote tests/contributing_template/example_set_mode.rs whole: copy the file into its rust block"
    );
}
