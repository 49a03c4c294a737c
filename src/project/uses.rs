//! Where a file uses the functions it imports: as a form action, as the action of
//! `useActionState`/`useFormState`, on a DOM element's event prop, in a call, or otherwise
//! (passed on, exported, ...), directly or through `.bind(null, …)`.

use crate::scope::{BindingKind, Imported, RefKind, ScopeTree};
use std::ops::Range;
use tree_sitter::{Node, Tree};

/// The hooks that call an action with `(prevState, payload)`.
pub const STATE_HOOKS: &[&str] = &["useActionState", "useFormState"];

/// The JSX elements whose `action`/`formAction` prop takes a form action.
const FORM_ELEMENTS: &[&str] = &["form", "button", "input"];
const FORM_PROPS: &[&str] = &["action", "formAction"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UseKind {
    /// `<form action={f}>` (and `formAction` of a button or input): the prop's name.
    FormAction { prop: String },
    /// The first argument of a state hook.
    Hook {
        hook: String,
        /// The hook's callee (`useActionState`), where findings about the call point.
        callee: Range<usize>,
        /// The call's `(…)` arguments.
        arguments: Range<usize>,
        /// Its second argument, when there is one.
        initial: Option<Range<usize>>,
        /// The call already has type arguments.
        typed: bool,
    },
    /// An event prop of a DOM element (`<button onClick={f}>`): the prop's name.
    EventProp { prop: String },
    /// `f(…)` or `await f(…)`.
    Call,
    /// Anything else: passed to a component, stored, exported, ...
    Other,
}

impl UseKind {
    /// A use that makes the function an action of the page (a form's, a hook's, a handler's).
    pub fn is_action_like(&self) -> bool {
        matches!(
            self,
            UseKind::FormAction { .. } | UseKind::Hook { .. } | UseKind::EventProp { .. }
        )
    }
}

/// One use of an imported function.
#[derive(Debug, Clone)]
pub struct Use {
    /// The import's specifier and the name imported (`default` for a default import; the
    /// member's name for `ns.name` of a namespace import).
    pub source: String,
    pub imported: String,
    /// Arguments bound by `.bind(null, …)` on the way.
    pub bound: usize,
    pub kind: UseKind,
    /// The used expression: the identifier (or `ns.name`), or the `f.bind(…)` call written at
    /// the use.
    pub at: Range<usize>,
    /// For a `.bind` written at the use: the texts of the bound arguments.
    pub bind_args: Option<Vec<String>>,
    /// For a JSX prop: the `{…}` expression container's inside.
    pub prop_value: Option<Range<usize>>,
}

/// Every use in the file of a function imported by name, as a default, or as a member of a
/// namespace import.
pub fn uses_in(tree: &Tree, text: &str, scopes: &ScopeTree) -> Vec<Use> {
    let mut found = Vec::new();
    for (id, binding) in scopes.bindings.iter().enumerate() {
        let BindingKind::Import(import) = &binding.kind else {
            continue;
        };
        if import.type_only || exports_no_actions(&import.source) {
            continue;
        }
        let imported = match &import.imported {
            Imported::Named(name) => Some(name.clone()),
            Imported::Default => Some("default".to_string()),
            // `actions.save`: the member is the use, of the export it names.
            Imported::Namespace => None,
        };
        for reference in scopes.references_to(id) {
            if reference.kind == RefKind::Type {
                continue;
            }
            let Some(mut node) = node_at(tree, reference.range.clone()) else {
                continue;
            };
            let imported = match &imported {
                Some(name) => name.clone(),
                None => {
                    let Some(member) = node.parent().filter(|p| {
                        p.kind() == "member_expression"
                            && p.child_by_field_name("object").is_some_and(|o| o.id() == node.id())
                    }) else {
                        continue;
                    };
                    let Some(property) = member.child_by_field_name("property") else {
                        continue;
                    };
                    node = member;
                    text[property.byte_range()].to_string()
                }
            };
            let base = Use {
                source: import.source.clone(),
                imported: imported.clone(),
                bound: 0,
                kind: UseKind::Other,
                at: node.byte_range(),
                bind_args: None,
                prop_value: None,
            };
            if reference.kind == RefKind::Export || reference.kind == RefKind::Shorthand {
                found.push(base);
                continue;
            }
            classify_value(node, text, scopes, base, &mut found, 0);
        }
    }
    found.sort_by_key(|u| u.at.start);
    found
}

/// React and Next export no Server Actions, and their names (hooks, `Link`, `redirect`) are the
/// most referenced of a client file: their uses are not read.
pub fn exports_no_actions(specifier: &str) -> bool {
    ["react", "react-dom", "next"]
        .iter()
        .any(|package| super::names_package(specifier, package))
}

/// How deep a `const a = f.bind(…)` chain is followed.
const MAX_BIND_DEPTH: usize = 3;

fn classify_value(node: Node, text: &str, scopes: &ScopeTree, mut base: Use, found: &mut Vec<Use>, depth: usize) {
    // `f.bind(null, a, b)`: the bound function is what is used.
    if let Some((call, args)) = bind_call(node, text) {
        base.bound += args.len();
        let value = call;
        // `const g = f.bind(null, id)`: follow `g`.
        if let Some(declarator) = value.parent().filter(|p| p.kind() == "variable_declarator")
            && let Some(name) = declarator
                .child_by_field_name("name")
                .filter(|n| n.kind() == "identifier")
            && depth < MAX_BIND_DEPTH
            && let Some(binding) = scopes.binding_of(name.byte_range())
            && matches!(scopes.bindings[binding].kind, BindingKind::Const)
        {
            let refs: Vec<_> = scopes.references_to(binding).cloned().collect();
            for reference in refs {
                let Some(node) = node_at_in(value, reference.range.clone()) else {
                    continue;
                };
                let mut next = base.clone();
                next.at = reference.range.clone();
                next.bind_args = None;
                if reference.kind != RefKind::Value {
                    found.push(next);
                    continue;
                }
                classify_value(node, text, scopes, next, found, depth + 1);
            }
            return;
        }
        base.at = value.byte_range();
        base.bind_args = Some(args);
        base.kind = position_of(value, text);
        base.prop_value = prop_value(value);
        found.push(base);
        return;
    }
    base.kind = position_of(node, text);
    base.prop_value = prop_value(node);
    found.push(base);
}

/// `node.bind(null, …)` around `node`: the call and the bound arguments' texts.
fn bind_call<'t>(node: Node<'t>, text: &str) -> Option<(Node<'t>, Vec<String>)> {
    let member = node.parent().filter(|p| p.kind() == "member_expression")?;
    if member.child_by_field_name("object")?.id() != node.id()
        || &text[member.child_by_field_name("property")?.byte_range()] != "bind"
    {
        return None;
    }
    let call = member.parent().filter(|p| p.kind() == "call_expression")?;
    let arguments = call.child_by_field_name("arguments")?;
    let mut c = arguments.walk();
    let args: Vec<Node> = arguments
        .named_children(&mut c)
        .filter(|a| a.kind() != "comment")
        .collect();
    let this = args.first()?;
    if !matches!(&text[this.byte_range()], "null" | "undefined") {
        return None;
    }
    Some((
        call,
        args[1..].iter().map(|a| text[a.byte_range()].to_string()).collect(),
    ))
}

/// What the expression at `node` is used as.
fn position_of(node: Node, text: &str) -> UseKind {
    let Some(parent) = node.parent() else {
        return UseKind::Other;
    };
    match parent.kind() {
        "jsx_expression" => jsx_prop(parent, text),
        "call_expression"
            if parent
                .child_by_field_name("function")
                .is_some_and(|f| f.id() == node.id()) =>
        {
            UseKind::Call
        }
        "arguments" => {
            let Some(call) = parent.parent().filter(|c| c.kind() == "call_expression") else {
                return UseKind::Other;
            };
            let first = parent.named_child(0).is_some_and(|a| a.id() == node.id());
            let Some(callee) = call.child_by_field_name("function") else {
                return UseKind::Other;
            };
            let name = match callee.kind() {
                "identifier" => &text[callee.byte_range()],
                "member_expression" => callee
                    .child_by_field_name("property")
                    .map_or("", |p| &text[p.byte_range()]),
                _ => "",
            };
            if !first || !STATE_HOOKS.contains(&name) {
                return UseKind::Other;
            }
            let initial = parent.named_child(1).map(|n| n.byte_range());
            UseKind::Hook {
                hook: name.to_string(),
                callee: callee.byte_range(),
                arguments: parent.byte_range(),
                initial,
                typed: call.child_by_field_name("type_arguments").is_some(),
            }
        }
        _ => UseKind::Other,
    }
}

fn jsx_prop(container: Node, text: &str) -> UseKind {
    let Some(attribute) = container.parent().filter(|a| a.kind() == "jsx_attribute") else {
        return UseKind::Other;
    };
    let Some(element) = attribute.parent() else {
        return UseKind::Other;
    };
    let Some(prop) = attribute.named_child(0).map(|n| text[n.byte_range()].to_string()) else {
        return UseKind::Other;
    };
    let tag = element
        .child_by_field_name("name")
        .map_or("", |n| &text[n.byte_range()]);
    let dom = tag.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && !tag.contains('.');
    if FORM_PROPS.contains(&prop.as_str()) && FORM_ELEMENTS.contains(&tag) {
        return UseKind::FormAction { prop };
    }
    let event = prop.len() > 2 && prop.starts_with("on") && prop[2..].starts_with(|c: char| c.is_ascii_uppercase());
    if dom && event {
        return UseKind::EventProp { prop };
    }
    UseKind::Other
}

fn prop_value(node: Node) -> Option<Range<usize>> {
    let container = node.parent().filter(|p| p.kind() == "jsx_expression")?;
    let attribute = container.parent().filter(|a| a.kind() == "jsx_attribute")?;
    attribute
        .byte_range()
        .contains(&node.start_byte())
        .then(|| node.byte_range())
}

fn node_at(tree: &Tree, range: Range<usize>) -> Option<Node<'_>> {
    node_at_in(tree.root_node(), range)
}

fn node_at_in(node: Node<'_>, range: Range<usize>) -> Option<Node<'_>> {
    let mut root = node;
    while let Some(parent) = root.parent() {
        root = parent;
    }
    root.descendant_for_byte_range(range.start, range.end)
        .filter(|n| n.byte_range() == range)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Lang, Parsers};

    fn uses(text: &str) -> Vec<(String, usize, UseKind)> {
        let tree = Parsers::new().parse(Lang::Tsx, text, None).unwrap();
        let scopes = ScopeTree::build(&tree, text);
        uses_in(&tree, text, &scopes)
            .into_iter()
            .map(|u| (u.imported, u.bound, u.kind))
            .collect()
    }

    #[test]
    fn tells_form_actions_hooks_events_calls_and_other_uses() {
        let found = uses(
            "'use client';\nimport { a, b, c, d, e } from './actions';\n\
             export function F({ id }) {\n  const bound = a.bind(null, id);\n  const [s, f] = useActionState(b, {});\n\
             e(1);\n  return <form action={bound}><button onClick={c}>x</button><Child action={d} /></form>;\n}\n",
        );
        let kinds: Vec<_> = found.iter().map(|(n, b, k)| (n.as_str(), *b, k)).collect();
        assert!(kinds.contains(&("a", 1, &UseKind::FormAction { prop: "action".into() })));
        assert!(
            kinds
                .iter()
                .any(|(n, _, k)| *n == "b" && matches!(k, UseKind::Hook { .. }))
        );
        assert!(kinds.contains(&("c", 0, &UseKind::EventProp { prop: "onClick".into() })));
        assert!(kinds.contains(&("d", 0, &UseKind::Other)));
        assert!(kinds.contains(&("e", 0, &UseKind::Call)));
    }

    #[test]
    fn a_namespace_member_is_a_use_of_the_export_it_names() {
        let found = uses(
            "'use client';\nimport * as actions from './actions';\n\
             export function F({ id }) {\n  return <form action={actions.save}><button formAction={actions.remove.bind(null, id)} /></form>;\n}\n",
        );
        assert!(found.contains(&("save".into(), 0, UseKind::FormAction { prop: "action".into() })));
        assert!(found.contains(&(
            "remove".into(),
            1,
            UseKind::FormAction {
                prop: "formAction".into()
            }
        )));
    }
}
