//! # action-event-handler
//!
//! **What it does.** An imported Server Action (a function of a `'use server'` module), or a
//! `.bind` of one, given directly to an event prop of a DOM element (`<button
//! onClick={deleteItem}>`): when it takes no parameters, the prop becomes `onClick={() =>
//! deleteItem()}`; a `.bind` written in the prop, `onClick={remove.bind(null, id)}`, becomes
//! `onClick={() => remove(id)}` when it leaves no parameter unbound.
//!
//! **Why.** React calls an event handler with the event, and a Server Action's arguments must be
//! sent to the server: the event cannot be, and the click fails at run time.
//!
//! **Example.**
//! ```text
//! <button onClick={remove.bind(null, id)}>  →  <button onClick={() => remove(id)}>
//! ```
//!
//! **Not applied.** Components' props (`<Pager onPageChange={goToPage}>` may well pass real
//! arguments); functions that are not Server Actions. Where the action takes parameters the
//! event would fill: a finding.

use crate::fix::Edit;
use crate::project::uses::UseKind;
use crate::project::{Project, ResolvedUse};
use crate::transforms::{Meta, ProjectOutcome, ProjectTransform};

pub struct ActionEventHandler;

static META: Meta = Meta {
    name: "action-event-handler",
    summary: "a Server Action given to a DOM event prop (onClick={action}) → onClick={() => action()}",
    words: &[&["use client", "={"]],
    needs: "Next 14 or 15",
    queries: &[],
};

impl ProjectTransform for ActionEventHandler {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn wants_text(&self, bytes: &[u8]) -> bool {
        has_imported_event_handler(bytes)
    }

    fn run(&self, project: &Project) -> ProjectOutcome {
        let mut outcome = ProjectOutcome::default();
        for u in project.resolved_uses() {
            let UseKind::EventProp { prop } = &u.at.kind else {
                continue;
            };
            if u.module.view.directive.as_deref() != Some("use server") || u.at.prop_value.is_none() {
                continue;
            }
            let name = &u.function.name;
            let required = u.function.params.iter().filter(|p| !p.optional).count();
            let unbound = required.saturating_sub(u.at.bound);
            match call_text(&u) {
                Some(call) if unbound == 0 && u.file.editable => {
                    outcome.edit(
                        &u.file.path,
                        vec![Edit::replace(u.at.at.clone(), format!("() => {call}"))],
                    );
                }
                _ => {
                    let message = format!(
                        "the Server Action `{name}` ({}) is the {prop} handler of a DOM element: React calls it with the event, which cannot be sent to the server; call it from a function instead, `{prop}={{() => {name}(…)}}`, passing what it needs",
                        project.display(&u.module.path)
                    );
                    outcome.note(&u.file.path, u.at.at.start, message);
                }
            }
        }
        outcome
    }
}

/// The call the new handler makes: `f()` for a name, `f(a, b)` for `f.bind(null, a, b)`.
fn call_text(u: &ResolvedUse) -> Option<String> {
    let text = &u.file.text[u.at.at.clone()];
    match &u.at.bind_args {
        None => Some(format!("{text}()")),
        Some(args) => {
            let callee = text.split(".bind").next()?.trim();
            Some(format!("{callee}({})", args.join(", ")))
        }
    }
}

/// Whether the text has an event prop (`onClick={name}`, `onClick={name.bind(…)}`) whose name
/// also stands in an import's braces or as a default import: only such files can hand an
/// imported action to a DOM event, and parsing every client component to find out cost more
/// than the rest of a run.
pub(crate) fn has_imported_event_handler(bytes: &[u8]) -> bool {
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], b"={") {
        let eq = at + found;
        at = eq + 2;
        // The prop's name: `on` and a capital.
        let mut start = eq;
        while start > 0 && is_word(bytes[start - 1]) {
            start -= 1;
        }
        let prop = &bytes[start..eq];
        if prop.len() < 3 || !prop.starts_with(b"on") || !prop[2].is_ascii_uppercase() {
            continue;
        }
        // Its value: a name, then `}` or `.bind(`.
        let mut name_start = at;
        while bytes.get(name_start).is_some_and(|b| b.is_ascii_whitespace()) {
            name_start += 1;
        }
        let mut name_end = name_start;
        while bytes.get(name_end).is_some_and(|b| is_word(*b)) {
            name_end += 1;
        }
        if name_end == name_start || bytes[name_start].is_ascii_digit() {
            continue;
        }
        let rest = &bytes[name_end..];
        let rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
        if !(rest.starts_with(b"}") || rest.starts_with(b".bind(")) {
            continue;
        }
        if is_imported(bytes, &bytes[name_start..name_end]) {
            return true;
        }
    }
    false
}

/// Whether `name` stands where an import binds it: `import name from`, or in braces (`{ name`,
/// `, name`, `as name`, then `,` or `}`) closed by a `} from`.
fn is_imported(bytes: &[u8], name: &[u8]) -> bool {
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], name) {
        let start = at + found;
        let end = start + name.len();
        at = end;
        if start > 0 && is_word(bytes[start - 1]) || bytes.get(end).is_some_and(|b| is_word(*b)) {
            continue;
        }
        let before = bytes[..start].trim_ascii_end();
        let after = bytes[end..].trim_ascii_start();
        if before.ends_with(b"import") && after.starts_with(b"from") {
            return true;
        }
        // In braces: `{ a, name }` and then `from`.
        let opens =
            before.ends_with(b"{") && !before.ends_with(b"={") || before.ends_with(b",") || before.ends_with(b" as");
        let closes = after.starts_with(b",") || after.starts_with(b"}");
        let from_after_braces = after
            .iter()
            .position(|b| *b == b'}')
            .is_some_and(|close| after[close + 1..].trim_ascii_start().starts_with(b"from"));
        if opens && closes && from_after_braces {
            return true;
        }
    }
    false
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_for_imported_names_on_event_props() {
        let yes = b"import { a, logout } from './actions';\n<button onClick={logout}>x</button>";
        assert!(has_imported_event_handler(yes));
        let bound = b"import remove from './remove';\n<button onClick={remove.bind(null, id)} />";
        assert!(has_imported_event_handler(bound));
        let local = b"const handle = () => {};\n<button onClick={handle}>x</button>";
        assert!(!has_imported_event_handler(local));
        let arrow = b"import { logout } from './actions';\n<button onClick={() => logout()}>x</button>";
        assert!(!has_imported_event_handler(arrow));
    }
}
