//! The one renamer: the edit that makes a reference name another binding while keeping what it
//! means to the code around it.

use crate::fix::Edit;
use crate::scope::{RefKind, Reference};
use tree_sitter::Tree;

/// Renames `reference` to `new`. A shorthand property keeps its key (`{ a }` → `{ a: b }`); an
/// export specifier without an alias keeps its exported name (`export { a }` →
/// `export { b as a }`); any other reference is replaced.
pub fn rename_reference(tree: &Tree, reference: &Reference, new: &str) -> Edit {
    let range = reference.range.clone();
    match reference.kind {
        RefKind::Shorthand => Edit::replace(range, format!("{}: {new}", reference.name)),
        RefKind::Export if !export_has_alias(tree, &reference.range) => {
            Edit::replace(range, format!("{new} as {}", reference.name))
        }
        RefKind::Export | RefKind::Value | RefKind::Type => Edit::replace(range, new),
    }
}

fn export_has_alias(tree: &Tree, range: &std::ops::Range<usize>) -> bool {
    tree.root_node()
        .descendant_for_byte_range(range.start, range.end)
        .and_then(|n| n.parent())
        .is_some_and(|spec| spec.child_by_field_name("alias").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply_edits;
    use crate::parse::{Lang, Parsers};
    use crate::scope::ScopeTree;

    #[test]
    fn keeps_keys_and_exported_names() {
        let text = "const a = 1;\nf({ a }, a);\nexport { a };\nexport { a as c };\n";
        let tree = Parsers::new().parse(Lang::TypeScript, text, None).unwrap();
        let scopes = ScopeTree::build(&tree, text);
        let binding = scopes.lookup("a", 0).unwrap();
        let edits: Vec<Edit> = scopes
            .references_to(binding)
            .map(|r| rename_reference(&tree, r, "b"))
            .collect();
        assert_eq!(
            apply_edits(text, &edits).unwrap(),
            "const a = 1;\nf({ a: b }, b);\nexport { b as a };\nexport { b as c };\n"
        );
    }
}
