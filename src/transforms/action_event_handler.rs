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
    words: &[&["use client", "on"]],
    needs: "Next 14 or 15",
    queries: &[],
};

impl ProjectTransform for ActionEventHandler {
    fn meta(&self) -> &'static Meta {
        &META
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
