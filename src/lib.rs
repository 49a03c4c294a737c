//! nsa-migrate: finds and rewrites Next.js 14 → 15 Server Action breakage.
//!
//! The pipeline, one module per stage, data flowing one way:
//! `walk` (paths) → `prefilter` (words) → `source` (bytes to text) → `parse` (trees)
//! → `transforms` (edits and findings) → `apply` (verified new text, to a fixpoint; `verify` is
//! the second, complete parser) → `engine` (its stages, in parallel) → `results` → `report` /
//! `write`. `syntax` (node helpers), `scope`, `imports`, `style` and `directives` are the shared
//! helpers the rules use; `versions` reads what package.json declares; `project` resolves imports
//! and reads the modules they name, for the rules that follow an action across files. `lsp`
//! serves the per-file step to editors, on their buffers; `rule_docs` reads the README's word on
//! each rule for SARIF and the editor.

pub mod alloc;
pub mod apply;
pub mod cli;
pub mod directives;
pub mod engine;
pub mod fix;
pub mod imports;
pub mod lines;
pub mod lsp;
pub mod parse;
pub mod prefilter;
pub mod project;
pub mod rename;
pub mod report;
pub mod results;
pub mod rule_docs;
pub mod scope;
pub mod source;
pub mod style;
pub mod syntax;
pub mod target;
pub mod test_hooks;
pub mod transforms;
pub mod verify;
pub mod versions;
pub mod walk;
pub mod write;
