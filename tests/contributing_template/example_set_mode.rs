//! # example-set-mode
//!
//! **What it does.** Rewrites `setMode('legacy')`, where `setMode` is imported from
//! `example-lib`, to `setMode('modern')`.
//!
//! **Why.** example-lib 2 dropped the legacy mode: the old call throws when the app starts.
//!
//! **Example.**
//! ```text
//! import { setMode } from 'example-lib';      import { setMode } from 'example-lib';
//! setMode('legacy');                      →   setMode('modern');
//! ```
//!
//! **Not applied.** A `setMode` that is not example-lib's (a local function, another module's
//! import). Where the mode is not a string literal (`setMode(mode)`), a finding asks for a look.

use crate::fix::{Edit, Outcome};
use crate::scope::Imported;
use crate::syntax::string_value;
use crate::transforms::{Meta, QuerySet, SourceFile, Transform, matches_around};

pub struct ExampleSetMode;

static META: Meta = Meta {
    name: "example-set-mode",
    summary: "setMode('legacy') (example-lib) → setMode('modern')",
    // The prefilter skips, unparsed, every file that lacks one of these words.
    words: &[&["setMode", "example-lib"]],
    needs: "example-lib 2",
    queries: &[&QUERY],
};

// A rule in src/transforms/ keeps its query beside the others:
// `QuerySet::new(include_str!("../../transforms/example-set-mode.scm"))`.
static QUERY: QuerySet =
    QuerySet::new("(call_expression function: (identifier) @callee arguments: (arguments) @arguments)");

const CALLEE: &str = "setMode";
const MODULE: &str = "example-lib";

impl Transform for ExampleSetMode {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn run(&self, file: &SourceFile) -> Outcome {
        let mut outcome = Outcome::default();
        let query = QUERY.get(file.lang);
        let [callee_capture, arguments_capture] = ["callee", "arguments"].map(|n| query.capture_index_for_name(n));
        let scopes = file.scopes();
        // Every match holds an occurrence of `setMode`: the query runs only around those.
        for m in matches_around(file.tree, file.text, query, CALLEE) {
            let (Some(callee), Some(arguments)) = (m.get(callee_capture), m.get(arguments_capture)) else {
                continue;
            };
            // Only example-lib's `setMode`: the scope tree knows what the name is bound to here.
            let imported = Imported::Named(CALLEE.to_string());
            if !scopes.is_import_of(callee.byte_range(), MODULE, &imported) {
                continue;
            }
            let Some(mode) = arguments.named_child(0) else {
                continue;
            };
            if mode.kind() != "string" {
                outcome.note(
                    mode.start_byte(),
                    "this mode is not a string literal; if it can be 'legacy', make it 'modern'",
                );
                continue;
            }
            if string_value(file.text, mode) != "legacy" {
                continue;
            }
            // Inside the quotes only: the literal keeps its own quote character.
            let inside = mode.start_byte() + 1..mode.end_byte() - 1;
            outcome.fix("Use the modern mode", vec![Edit::replace(inside, "modern")]);
        }
        outcome
    }
}
