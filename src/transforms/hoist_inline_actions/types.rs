//! The types of captured values, as the actions module will spell them.

use super::module_imports::ImportNames;
use super::{Client, contains};
use crate::scope::{BindingId, BindingKind};
use crate::syntax::{has_token, string_value};
use std::ops::Range;
use tree_sitter::Node;

/// A type spelled in the client: a node range, and an indexed access path after it.
#[derive(Debug, Clone)]
pub(super) struct TypeText {
    pub(super) range: Range<usize>,
    pub(super) path: Vec<String>,
    pub(super) optional: bool,
    pub(super) imports: Vec<BindingId>,
}

impl Client<'_> {
    /// The type the source spells for `binding` followed by `segments`, and the kind of the
    /// type node it ends at (to recognise function types).
    pub(super) fn binding_type(&self, b: BindingId, segments: &[String]) -> Option<(TypeText, String)> {
        if !self.client_ts {
            return None;
        }
        let binding = &self.scopes.bindings[b];
        let ident = self.node_at(binding.ident.clone())?;
        // Walk up the pattern to the parameter or declarator, collecting property names.
        let mut path: Vec<String> = Vec::new();
        let mut node = ident;
        let holder = loop {
            let parent = node.parent()?;
            match parent.kind() {
                "object_pattern" => {
                    if node.kind() == "shorthand_property_identifier_pattern" {
                        path.push(self.slice(node.byte_range()).to_string());
                    }
                }
                "object_assignment_pattern" => {
                    if parent.child_by_field_name("left") == Some(node)
                        && node.kind() == "shorthand_property_identifier_pattern"
                    {
                        path.push(self.slice(node.byte_range()).to_string());
                    }
                }
                "pair_pattern" => {
                    let key = parent.child_by_field_name("key")?;
                    match key.kind() {
                        "property_identifier" => path.push(self.slice(key.byte_range()).to_string()),
                        "string" => path.push(string_value(self.text, key).to_string()),
                        _ => return None,
                    }
                }
                "assignment_pattern" => {}
                "required_parameter" | "optional_parameter" | "variable_declarator" => break parent,
                _ => return None,
            }
            node = parent;
        };
        path.reverse();
        let optional_param = holder.kind() == "optional_parameter" && path.is_empty() && segments.is_empty();
        let annotation = holder.child_by_field_name("type")?;
        let ty = annotation.named_child(0)?;
        path.extend(segments.iter().cloned());
        let (mut text, kind) = self.resolve_type(ty, &path, 0)?;
        text.optional |= optional_param;
        Some((text, kind))
    }

    /// Follows `path` through object types, local interfaces and aliases; an imported type
    /// with a path left becomes an indexed access (`Post['id']`).
    fn resolve_type(&self, ty: Node, path: &[String], depth: usize) -> Option<(TypeText, String)> {
        if depth > 8 {
            return None;
        }
        match ty.kind() {
            "parenthesized_type" => return self.resolve_type(ty.named_child(0)?, path, depth + 1),
            "object_type" | "interface_body" if !path.is_empty() => {
                let mut c = ty.walk();
                let property = ty.named_children(&mut c).find(|p| {
                    p.kind() == "property_signature"
                        && p.child_by_field_name("name")
                            .is_some_and(|n| property_name(self.text, n) == path[0])
                })?;
                let inner = property.child_by_field_name("type")?.named_child(0)?;
                let (mut text, kind) = self.resolve_type(inner, &path[1..], depth + 1)?;
                if path.len() == 1 && has_token(property, "?") {
                    text.optional = true;
                }
                return Some((text, kind));
            }
            "type_identifier" => {
                let b = self.scopes.binding_of(ty.byte_range());
                if let Some(b) = b
                    && self.scopes.bindings[b].kind == BindingKind::Type
                {
                    // A local interface or alias: read its body.
                    let declaration = self.node_at(self.scopes.bindings[b].declaration.clone())?;
                    let body = match declaration.kind() {
                        "interface_declaration" => declaration.child_by_field_name("body")?,
                        "type_alias_declaration" => declaration.child_by_field_name("value")?,
                        _ => return None,
                    };
                    return self.resolve_type(body, path, depth + 1);
                }
            }
            _ => {}
        }
        if !path.is_empty() && !matches!(ty.kind(), "type_identifier" | "generic_type" | "nested_type_identifier") {
            return None;
        }
        // Spelled out here: every name in it must be global or imported.
        let mut imports = Vec::new();
        for reference in self
            .scopes
            .references
            .iter()
            .filter(|r| contains(&ty.byte_range(), &r.range))
        {
            let Some(b) = reference.binding else {
                continue;
            };
            match self.scopes.bindings[b].kind {
                BindingKind::Import(_) => imports.push(b),
                _ => return None,
            }
        }
        if !path.is_empty() && imports.is_empty() {
            // A global generic (`Record<...>`) indexed by a name: not worth guessing.
            return None;
        }
        Some((
            TypeText {
                range: ty.byte_range(),
                path: path.to_vec(),
                optional: false,
                imports,
            },
            ty.kind().to_string(),
        ))
    }

    pub(super) fn type_text(&self, t: &TypeText, import_names: &ImportNames) -> Option<String> {
        let mut text = self.renamed(t.range.clone(), import_names, &[])?;
        for segment in &t.path {
            text.push_str(&format!("[{q}{segment}{q}]", q = self.quote));
        }
        if t.optional {
            text.push_str(" | undefined");
        }
        Some(text)
    }
}

fn property_name(text: &str, node: Node) -> String {
    match node.kind() {
        "string" => string_value(text, node).to_string(),
        _ => text[node.byte_range()].to_string(),
    }
}
