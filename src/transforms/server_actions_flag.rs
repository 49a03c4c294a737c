//! # server-actions-flag
//!
//! **What it does.** Cleans the Server Actions keys out of `next.config.{js,mjs,cjs,ts,mts}`:
//! `experimental.serverActions: true|false` is removed; `experimental.serverActionsBodySizeLimit: X`
//! becomes `experimental.serverActions: { bodySizeLimit: X }` (merged into an existing
//! `serverActions` object). An `experimental` object this leaves empty is removed. The other keys
//! Next 15 moved (`serverComponentsExternalPackages`, ...) are the `next-config` rule's.
//!
//! **Why.** Server Actions are stable since Next 14: the boolean is obsolete (Next warns about it)
//! and the 13.x body size key moved. Old tutorials still teach both.
//!
//! **Example.**
//! ```text
//! module.exports = {                                   module.exports = {
//!   reactStrictMode: true,                               reactStrictMode: true,
//!   experimental: {                               →      experimental: {
//!     serverActions: true,                                 serverActions: { bodySizeLimit: '2mb' },
//!     serverActionsBodySizeLimit: '2mb',                 },
//!   },                                                 }
//! }
//! ```
//!
//! **Not applied.** Where the config object cannot be found statically
//! (`module.exports = createConfig()`), where a key is computed, or where a value cannot be read,
//! a finding says so and nothing there is changed. A `...spread` in `experimental` gets a
//! finding; the visible keys are still fixed.
//!
//! Edits are surgical (`config::edit`): a removed property takes its own line, the comment lines
//! directly above it and its trailing comment with it; commas stay valid and the trailing-comma
//! habit is kept.

use crate::fix::{Edit, Outcome};
use crate::style::Style;
use crate::target::Needs;
use crate::transforms::config::edit::{edit_object, new_prop, removal_range};
use crate::transforms::config::find::{
    self, Assignment, Config, assignments, key_name, object_items, pair_key, snippet,
};
use crate::transforms::{Meta, SourceFile, Transform};
use std::path::Path;
use tree_sitter::Node;

pub struct ServerActionsFlag;

static META: Meta = Meta {
    name: "server-actions-flag",
    summary: "next.config: drop experimental.serverActions, move serverActionsBodySizeLimit",
    // `serverActions` also covers `serverActionsBodySizeLimit`.
    words: &[&["serverActions"]],
    needs: "Next 14 or 15",
    queries: &[&find::EXPORTS],
};

const KEYS: &str = "serverActions or serverActionsBodySizeLimit";

const SERVER_ACTIONS: &str = "serverActions";
const BODY_SIZE_LIMIT: &str = "serverActionsBodySizeLimit";

impl Transform for ServerActionsFlag {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn applies_to(&self, path: &Path) -> bool {
        find::is_config_file(path)
    }

    fn run(&self, file: &SourceFile) -> Outcome {
        let mut outcome = Outcome::default();
        if !META.words_in(file.text) {
            return outcome;
        }
        let lookup = find::find_configs(file);
        if lookup.no_export {
            outcome.note(
                0,
                format!(
                    "this config has no `module.exports =` or `export default` to follow; check its {KEYS} by hand"
                ),
            );
            return outcome;
        }
        lookup.note_unreadable(
            file.text,
            &format!("check its experimental {KEYS} by hand"),
            &mut outcome,
        );
        let mut edit = Editor {
            file,
            style: file.style().clone(),
            outcome,
            edits: Vec::new(),
        };
        for config in &lookup.configs {
            edit.config(config);
        }
        let mut outcome = edit.outcome;
        let changed = !edit.edits.is_empty();
        // One fix: the keys of one config are rewritten together.
        outcome.fix("Update the experimental Server Actions config", edit.edits);
        // Without the flag Server Actions need Next 14 (13.4/13.5 require it).
        outcome.needs = if !changed { Needs::NOTHING } else { Needs::NEXT_14 };
        outcome
    }
}

/// Where an `experimental` object sits.
enum Holder<'t> {
    /// A property of the config object, by item index.
    Property(usize),
    /// `x.experimental = {...};`
    Statement(Node<'t>),
}

struct Editor<'f, 't> {
    file: &'f SourceFile<'t>,
    style: Style,
    outcome: Outcome,
    edits: Vec<Edit>,
}

impl<'t> Editor<'_, 't> {
    fn text(&self) -> &'t str {
        self.file.text
    }

    fn note(&mut self, node: Node, message: String) {
        self.outcome.note(node.start_byte(), message);
    }

    /// Everything for one config object: its `experimental` objects and the assignments to it.
    fn config(&mut self, config: &Config<'t>) {
        let text = self.text();
        let items = object_items(config.object);
        let mut statements = Vec::new();
        if let Some((name, block)) = &config.binding {
            assignments(text, name, *block, &mut statements);
        }
        let mut experimentals: Vec<(Node, Holder)> = Vec::new();
        for (index, item) in items.iter().enumerate() {
            if pair_key(text, *item) != Some("experimental") {
                continue;
            }
            match item.child_by_field_name("value") {
                Some(value) if value.kind() == "object" => experimentals.push((value, Holder::Property(index))),
                _ => self.note(
                    *item,
                    format!(
                        "`experimental` is not an object literal this tool can read (`{}`); check its {KEYS} by hand",
                        snippet(text, *item)
                    ),
                ),
            }
        }
        for assignment in statements.iter().filter(|a| a.path == ["experimental"]) {
            if assignment.right.kind() == "object" {
                experimentals.push((assignment.right, Holder::Statement(assignment.statement)));
            }
        }
        // Whether `serverActions` is set as an object anywhere, for the bodySizeLimit assignment.
        let object_elsewhere = experimentals.iter().any(|(e, _)| {
            object_items(*e).iter().any(|item| {
                pair_key(text, *item) == Some(SERVER_ACTIONS)
                    && item.child_by_field_name("value").is_some_and(|v| v.kind() == "object")
            })
        }) || statements
            .iter()
            .any(|a| a.path == ["experimental", SERVER_ACTIONS] && a.right.kind() == "object");

        let mut remove_from_config = Vec::new();
        for (experimental, holder) in experimentals {
            let emptied = self.experimental(experimental);
            if !emptied {
                continue;
            }
            match holder {
                Holder::Property(index) => remove_from_config.push(index),
                Holder::Statement(statement) => {
                    let range = removal_range(text, statement, statement.end_byte());
                    self.edits.push(Edit::delete(range));
                }
            }
        }
        for assignment in &statements {
            self.member_assignment(assignment, object_elsewhere);
        }
        if !remove_from_config.is_empty() {
            let edits = edit_object(text, config.object, &items, &remove_from_config, &[], &self.style);
            self.edits.extend(edits);
        }
    }

    /// Fixes one `experimental` object. Returns whether it is left empty (its holder is then
    /// removed instead, and its own edits dropped).
    fn experimental(&mut self, object: Node<'t>) -> bool {
        let text = self.text();
        let items = object_items(object);
        let mut remove = Vec::new();
        let mut edits = Vec::new();
        let mut actions_object: Option<Node> = None;
        let mut actions_unreadable = false;
        let mut body_size: Option<(usize, Node)> = None;
        for (index, item) in items.iter().enumerate() {
            match item.kind() {
                "spread_element" => {
                    self.note(
                        *item,
                        format!("`{}` in `experimental` may carry {KEYS}, which this transform would change; check it by hand", snippet(text, *item)),
                    );
                    continue;
                }
                "shorthand_property_identifier" => {
                    let name = &text[item.byte_range()];
                    if name == SERVER_ACTIONS || name == BODY_SIZE_LIMIT {
                        self.note(*item, format!("`{name}` in `experimental` takes its value from a variable this tool does not follow; update it by hand"));
                        actions_unreadable |= name == SERVER_ACTIONS;
                    }
                    continue;
                }
                "pair" => {}
                _ => continue,
            }
            let (Some(key), Some(value)) = (item.child_by_field_name("key"), item.child_by_field_name("value")) else {
                continue;
            };
            let Some(name) = key_name(text, key) else {
                self.note(
                    key,
                    format!("`experimental` has a computed key `{}` this tool cannot read; if it is {KEYS}, update it by hand", snippet(text, key)),
                );
                continue;
            };
            match name {
                SERVER_ACTIONS => match value.kind() {
                    "true" | "false" => {
                        remove.push(index);
                        if value.kind() == "false" {
                            self.note(*item, "`serverActions: false` was removed: Server Actions are always on since Next 14 and cannot be turned off any more; remove the Server Actions themselves if the app must not have them".to_string());
                        }
                    }
                    "object" => actions_object = actions_object.or(Some(value)),
                    _ => {
                        actions_unreadable = true;
                        self.note(*item, format!("`serverActions` is set to something this tool cannot read (`{}`); if it is a boolean, remove it: Server Actions are always on since Next 14", snippet(text, value)));
                    }
                },
                BODY_SIZE_LIMIT => body_size = body_size.or(Some((index, *item))),
                _ => {}
            }
        }

        // serverActionsBodySizeLimit → serverActions.bodySizeLimit
        if let Some((index, item)) = body_size
            && let Some(value) = item.child_by_field_name("value")
            && let Some(key) = item.child_by_field_name("key")
        {
            match actions_object {
                Some(actions) => {
                    let actions_items = object_items(actions);
                    let existing = actions_items
                        .iter()
                        .find(|i| pair_key(text, **i) == Some("bodySizeLimit"));
                    remove.push(index);
                    match existing.and_then(|e| e.child_by_field_name("value")) {
                        Some(kept) => self.note(
                            item,
                            format!(
                                "`{BODY_SIZE_LIMIT}: {}` was removed; the existing `serverActions.bodySizeLimit` (`{}`) was kept — change it if the old value was the one you meant",
                                snippet(text, value),
                                snippet(text, kept)
                            ),
                        ),
                        None => {
                            let prop = new_prop(text, item, "bodySizeLimit", value);
                            edits.extend(edit_object(text, actions, &actions_items, &[], &[prop], &self.style));
                        }
                    }
                }
                None if actions_unreadable => {
                    self.note(item, format!("`{BODY_SIZE_LIMIT}` was not moved into `serverActions`, whose value this tool cannot read; move it there as `bodySizeLimit` by hand"));
                }
                None => {
                    // Takes the old key's place (a boolean serverActions beside it is removed above).
                    edits.push(Edit::replace(key.byte_range(), SERVER_ACTIONS));
                    edits.push(Edit::insert(value.start_byte(), "{ bodySizeLimit: "));
                    edits.push(Edit::insert(value.end_byte(), " }"));
                }
            }
        }

        remove.sort_unstable();
        remove.dedup();
        if !items.is_empty() && remove.len() == items.len() {
            return true;
        }
        if !remove.is_empty() {
            edits.extend(edit_object(text, object, &items, &remove, &[], &self.style));
        }
        self.edits.extend(edits);
        false
    }

    /// `x.experimental.serverActions = true;` and the other member assignments.
    fn member_assignment(&mut self, assignment: &Assignment<'t>, object_elsewhere: bool) {
        let text = self.text();
        let [first, key] = assignment.path.as_slice() else {
            return;
        };
        if first != "experimental" {
            return;
        }
        let right = assignment.right;
        match key.as_str() {
            SERVER_ACTIONS => match right.kind() {
                "true" | "false" => {
                    let statement = assignment.statement;
                    self.edits
                        .push(Edit::delete(removal_range(text, statement, statement.end_byte())));
                    if right.kind() == "false" {
                        self.note(statement, "`serverActions = false` was removed: Server Actions are always on since Next 14 and cannot be turned off any more; remove the Server Actions themselves if the app must not have them".to_string());
                    }
                }
                "object" => {}
                _ => self.note(assignment.statement, format!("`serverActions` is set to something this tool cannot read (`{}`); if it is a boolean, remove it: Server Actions are always on since Next 14", snippet(text, right))),
            },
            BODY_SIZE_LIMIT => {
                if object_elsewhere {
                    self.note(assignment.statement, format!("`{BODY_SIZE_LIMIT}` was not rewritten: this file also sets `experimental.serverActions` as an object; move the value into it as `bodySizeLimit` by hand"));
                    return;
                }
                let Some(property) = assignment.left.child_by_field_name("property") else {
                    return;
                };
                self.edits.push(Edit::replace(property.byte_range(), SERVER_ACTIONS));
                self.edits.push(Edit::insert(right.start_byte(), "{ bodySizeLimit: "));
                self.edits.push(Edit::insert(right.end_byte(), " }"));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply_edits;
    use crate::parse::{Lang, Parsers};
    use crate::target::Target;
    use crate::transforms::{FileContext, Options};

    /// The text after one run on `next.config.js`, and the notes' messages.
    fn fix_with(text: &str, target: Target) -> (String, Vec<String>) {
        let path = Path::new("next.config.js");
        let tree = Parsers::new().parse(Lang::Tsx, text, None).unwrap();
        let options = Options::default();
        let context = FileContext {
            path,
            target,
            options: &options,
        };
        let outcome = ServerActionsFlag.run(&context.with(text, &tree, Lang::Tsx));
        let output = apply_edits(text, &outcome.all_edits()).unwrap();
        (output, outcome.notes.into_iter().map(|n| n.message).collect())
    }

    fn fix(text: &str) -> (String, Vec<String>) {
        fix_with(text, Target::NEXT_15)
    }

    #[test]
    fn looks_only_at_next_config_files() {
        for name in [
            "next.config.js",
            "apps/a/next.config.mjs",
            "next.config.cjs",
            "next.config.ts",
            "next.config.mts",
        ] {
            assert!(ServerActionsFlag.applies_to(Path::new(name)), "{name}");
        }
        for name in [
            "next.config.tsx",
            "lib/config.js",
            "my.next.config.js",
            "next.config.js.bak",
        ] {
            assert!(!ServerActionsFlag.applies_to(Path::new(name)), "{name}");
        }
    }

    #[test]
    fn a_file_without_the_words_gets_nothing() {
        let (out, notes) = fix("module.exports = createConfig()\n");
        assert_eq!(out, "module.exports = createConfig()\n");
        assert!(notes.is_empty());
    }

    #[test]
    fn removes_properties_inline_keeping_commas_valid() {
        let cases = [
            (
                "module.exports = { experimental: { a: 1, serverActions: true, b: 2 } }\n",
                "module.exports = { experimental: { a: 1, b: 2 } }\n",
            ),
            (
                "module.exports = { experimental: { a: 1, serverActions: true } }\n",
                "module.exports = { experimental: { a: 1 } }\n",
            ),
            (
                "module.exports = { experimental: { a: 1, serverActions: true, } }\n",
                "module.exports = { experimental: { a: 1, } }\n",
            ),
            (
                "module.exports = { a: 1, experimental: { serverActions: true } }\n",
                "module.exports = { a: 1 }\n",
            ),
            (
                "module.exports = { experimental: { serverActions: true }, a: 1 }\n",
                "module.exports = { a: 1 }\n",
            ),
            (
                "module.exports = { experimental: { serverActions: {} } }\n",
                "module.exports = { experimental: { serverActions: {} } }\n",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(fix(input).0, expected, "{input}");
        }
    }

    #[test]
    fn removes_whole_lines_with_their_comments() {
        let input = "module.exports = {\n  a: 1,\n  experimental: {\n    b: 2,\n\n    // on\n    /* really */\n    serverActions: true, // 13.4\n  },\n}\n";
        let expected = "module.exports = {\n  a: 1,\n  experimental: {\n    b: 2,\n\n  },\n}\n";
        assert_eq!(fix(input).0, expected);
        // The last property without a trailing comma: the one before loses its comma.
        let input = "module.exports = {\n  experimental: {\n    b: 2,\n    serverActions: true\n  }\n}\n";
        let expected = "module.exports = {\n  experimental: {\n    b: 2\n  }\n}\n";
        assert_eq!(fix(input).0, expected);
    }

    #[test]
    fn merges_the_body_size_limit_into_an_empty_or_inline_object() {
        let (out, _) = fix("module.exports = { experimental: { serverActions: {}, serverActionsBodySizeLimit: 1 } }\n");
        assert_eq!(
            out,
            "module.exports = { experimental: { serverActions: { bodySizeLimit: 1 } } }\n"
        );
        let (out, _) = fix(
            "module.exports = { experimental: { serverActions: { allowedOrigins: [] }, serverActionsBodySizeLimit: 1 } }\n",
        );
        assert_eq!(
            out,
            "module.exports = { experimental: { serverActions: { allowedOrigins: [], bodySizeLimit: 1 } } }\n"
        );
    }

    #[test]
    fn what_it_cannot_see_is_a_finding_without_an_edit() {
        let cases = [
            ("// serverActions: true\nconst x = 1\n", "no `module.exports =`"),
            (
                "module.exports = load('serverActions')\n",
                "could not be found statically (`load('serverActions')`",
            ),
            (
                "module.exports = { experimental: { serverActions: isProd } }\n",
                "cannot read (`isProd`)",
            ),
            (
                "module.exports = { experimental: base } // serverActions\n",
                "`experimental` is not an object literal",
            ),
            (
                "module.exports = { experimental: { serverActions } }\n",
                "takes its value from a variable",
            ),
        ];
        for (input, message) in cases {
            let (out, notes) = fix(input);
            assert_eq!(out, input);
            assert!(notes.len() == 1 && notes[0].contains(message), "{input}: {notes:?}");
        }
    }

    #[test]
    fn a_body_size_assignment_beside_an_object_is_left_alone() {
        let input = "const c = { experimental: { serverActions: { allowedOrigins: [] } } }\nc.experimental.serverActionsBodySizeLimit = '2mb'\nmodule.exports = c\n";
        let (out, notes) = fix(input);
        assert_eq!(out, input);
        assert!(notes[0].contains("also sets `experimental.serverActions` as an object"));
    }
}
