//! Finding the calls a try swallows: helper calls by their import names, inside the block of
//! a try that has a catch, grouped by the try that owns them.

use super::*;

/// Candidate calls from the query, `f(...)` and `ns.helper(...)`, inside the blocks of tries
/// that have a catch (the only places a call can be swallowed), in source order.
pub(super) fn candidate_calls<'t>(file: &SourceFile<'t>, callee_names: &[String]) -> Vec<Node<'t>> {
    let blocks_query = TRY_BLOCKS.get(file.lang);
    let mut blocks: Vec<Node<'t>> = Vec::new();
    let mut found: Vec<Node<'t>> = matches_around(file.tree, file.text, blocks_query, "try")
        .iter()
        .filter_map(|m| m.captures.first().map(|&(_, node)| node))
        .filter(|t| t.child_by_field_name("handler").is_some())
        .filter_map(|t| t.child_by_field_name("body"))
        .collect();
    found.sort_by_key(|b| (b.start_byte(), std::cmp::Reverse(b.end_byte())));
    for block in found {
        // A try nested in one already listed is searched with it. In this order, a block that
        // holds it is the last one listed.
        let nested = blocks
            .last()
            .is_some_and(|b| b.start_byte() <= block.start_byte() && block.end_byte() <= b.end_byte());
        if !nested {
            blocks.push(block);
        }
    }
    let query = QUERY.get(file.lang);
    let Some(call_index) = query.capture_index_for_name("call") else {
        return Vec::new();
    };
    let mut calls = Vec::new();
    let mut cursor = QueryCursor::new();
    for block in blocks {
        // From the block itself: a cursor started at the root steps over every statement before it.
        let mut matches = cursor.matches(query, block, file.text.as_bytes());
        while let Some(m) = matches.next() {
            calls.extend(m.captures().iter().filter(|c| c.index == call_index).map(|c| c.node));
        }
    }
    // `go(...)` and `nav.redirect(...)`: the identifier that must be bound to the import.
    let bound_name = |call: &Node<'t>| {
        let callee = call.child_by_field_name("function")?;
        let ident = if callee.kind() == "member_expression" {
            callee.child_by_field_name("object")?
        } else {
            callee
        };
        Some(&file.text[ident.byte_range()])
    };
    calls.retain(|call| bound_name(call).is_some_and(|name| callee_names.iter().any(|n| n == name)));
    calls.sort_by_key(|n| n.start_byte());
    calls.dedup_by_key(|n| n.id());
    calls
}

/// The helper a call invokes, when its callee is bound to the `next/navigation` import.
pub(super) fn target_kind(call: Node, file: &SourceFile, scopes: &ScopeTree) -> Option<Kind> {
    let callee = call.child_by_field_name("function")?;
    match callee.kind() {
        "identifier" => match import_of(scopes, callee) {
            Some(Imported::Named(name)) => Kind::from_name(&name),
            Some(_) => None,
            None => auth_kind(call, callee, file, scopes),
        },
        "member_expression" => {
            let object = callee.child_by_field_name("object")?;
            let property = callee.child_by_field_name("property")?;
            if object.kind() != "identifier" || import_of(scopes, object)? != Imported::Namespace {
                return None;
            }
            Kind::from_name(file.node_text(property))
        }
        _ => None,
    }
}

/// NextAuth's `signIn`/`signOut` called here, unless with a literal `redirect: false` (then
/// it returns instead of throwing).
fn auth_kind(call: Node, callee: Node, file: &SourceFile, scopes: &ScopeTree) -> Option<Kind> {
    let binding = scopes.binding_of(callee.byte_range())?;
    let BindingKind::Import(import) = &scopes.bindings[binding].kind else {
        return None;
    };
    let Imported::Named(name) = &import.imported else {
        return None;
    };
    let kind = Kind::from_auth_name(name)?;
    if import.type_only || !is_auth_import(file, &import.source, name) {
        return None;
    }
    let arguments = call.child_by_field_name("arguments")?;
    let mut c = arguments.walk();
    let no_redirect = arguments.named_children(&mut c).any(|argument| {
        let mut c = argument.walk();
        argument.kind() == "object"
            && argument.named_children(&mut c).any(|pair| {
                pair.kind() == "pair"
                    && pair
                        .child_by_field_name("key")
                        .is_some_and(|k| file.node_text(k).trim_matches(['\'', '"']) == "redirect")
                    && pair
                        .child_by_field_name("value")
                        .is_some_and(|v| file.node_text(v) == "false")
            })
    });
    (!no_redirect).then_some(kind)
}

/// Whether `name` imported from `source` is a helper NextAuth made (the import followed to its
/// module by the run's resolver).
pub(super) fn is_auth_import(file: &SourceFile, source: &str, name: &str) -> bool {
    file.options
        .auth
        .as_ref()
        .is_some_and(|auth| auth.is_next_auth_export(file.path, source, name))
}

/// What a `next/navigation` value import binds the identifier to.
pub(super) fn import_of(scopes: &ScopeTree, ident: Node) -> Option<Imported> {
    let binding = scopes.binding_of(ident.byte_range())?;
    match &scopes.bindings[binding].kind {
        BindingKind::Import(import) if import.source == MODULE && !import.type_only => Some(import.imported.clone()),
        _ => None,
    }
}

/// Groups the targets by the try whose catch would swallow them: the nearest enclosing try
/// (the call in its block, not in a nested function) with a catch that does not re-throw them.
pub(super) fn owning_tries<'t>(
    file: &SourceFile<'t>,
    scopes: &ScopeTree,
    calls: &[Node<'t>],
) -> Vec<(Node<'t>, Vec<SwallowedCall<'t>>)> {
    let mut tries: Vec<(Node<'t>, Vec<SwallowedCall<'t>>)> = Vec::new();
    let mut index_of_try: HashMap<usize, usize> = HashMap::new();
    for &call in calls {
        let Some(kind) = target_kind(call, file, scopes) else {
            continue;
        };
        let Some(try_node) = owning_try(call, kind, file, scopes) else {
            continue;
        };
        let target = SwallowedCall { call, kind };
        match index_of_try.get(&try_node.id()) {
            Some(&i) => tries[i].1.push(target),
            None => {
                index_of_try.insert(try_node.id(), tries.len());
                tries.push((try_node, vec![target]));
            }
        }
    }
    tries.sort_by_key(|(t, _)| t.start_byte());
    tries
}

pub(super) fn owning_try<'t>(call: Node<'t>, kind: Kind, file: &SourceFile, scopes: &ScopeTree) -> Option<Node<'t>> {
    let mut child = call;
    let mut parent = call.parent();
    while let Some(node) = parent {
        if is_function(node.kind()) || node.kind() == "class_static_block" {
            return None;
        }
        if node.kind() == "try_statement"
            && node.child_by_field_name("body").is_some_and(|b| b.id() == child.id())
            && let Some(handler) = node.child_by_field_name("handler")
            && !lets_out(handler, SwallowedCall { call, kind }, file, scopes)
        {
            return Some(node);
        }
        child = node;
        parent = node.parent();
    }
    None
}

/// Whether a try statement sits inside another one, or holds one.
pub(super) fn nested_with_another_try(try_node: Node) -> bool {
    let mut parent = try_node.parent();
    while let Some(node) = parent {
        if node.kind() == "try_statement" {
            return true;
        }
        parent = node.parent();
    }
    let mut cursor = try_node.walk();
    let mut todo: Vec<Node> = try_node.named_children(&mut cursor).collect();
    while let Some(node) = todo.pop() {
        if node.kind() == "try_statement" {
            return true;
        }
        let mut cursor = node.walk();
        todo.extend(node.named_children(&mut cursor));
    }
    false
}

/// The statements of a block, comments left out.
pub(super) fn statements<'t>(block: Node<'t>) -> Vec<Node<'t>> {
    let mut c = block.walk();
    block.named_children(&mut c).filter(|n| n.kind() != "comment").collect()
}
