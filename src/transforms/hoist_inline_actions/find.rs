//! Finding the inline actions of a client: functions whose body starts with `'use server'`.

use super::QUERY;
use crate::parse::Lang;
use crate::syntax::body_directives;
use crate::transforms::matches_around;
use std::ops::Range;
use tree_sitter::{Node, Tree};

/// An inline action found in the client: the function and its `'use server'` directive.
pub(super) struct Found<'t> {
    pub(super) function: Node<'t>,
    pub(super) directive: Range<usize>,
}

/// Functions whose body's directive prologue holds `'use server'`, outermost only, in source order.
pub(super) fn find_inline_actions<'t>(tree: &'t Tree, text: &str, lang: Lang) -> Vec<Found<'t>> {
    let query = QUERY.get(lang);
    let function_index = query.capture_index_for_name("function");
    let mut found: Vec<Found> = Vec::new();
    // A function whose body holds the directive spans the directive's text.
    let mut matches = Vec::new();
    for quoted in ["'use server'", "\"use server\""] {
        matches.extend(matches_around(tree, text, query, quoted));
    }
    for m in matches {
        let Some(function) = m.get(function_index) else {
            continue;
        };
        // An arrow function's body may be an expression: no directives there.
        let Some(body) = function
            .child_by_field_name("body")
            .filter(|b| b.kind() == "statement_block")
        else {
            continue;
        };
        if found.iter().any(|f| f.function.id() == function.id()) {
            continue;
        }
        let mut c = body.walk();
        let directive = body_directives(body.named_children(&mut c), text)
            .into_iter()
            .find(|(d, _)| d == "use server");
        if let Some((_, directive)) = directive {
            found.push(Found { function, directive });
        }
    }
    found.sort_by_key(|f| f.function.start_byte());
    let mut outermost: Vec<Found> = Vec::new();
    for f in found {
        if outermost
            .last()
            .is_some_and(|o| o.function.end_byte() >= f.function.end_byte())
        {
            continue;
        }
        outermost.push(f);
    }
    outermost
}
