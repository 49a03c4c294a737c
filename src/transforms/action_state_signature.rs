//! # action-state-signature
//!
//! **What it does.** The action given to `useActionState`/`useFormState` (followed through its
//! import and `.bind(null, …)`) whose first parameter after the bound ones is the payload —
//! typed `FormData` or named `formData` — with none after it: a `prevState: unknown` parameter
//! (JavaScript: `prevState`) is inserted right before the payload, after the bound parameters,
//! when every use of the function in the scanned files goes through those hooks.
//!
//! **Why.** The hooks call their action as `action(prevState, payload)`: an action written for
//! a form, `(formData)`, receives the previous state there, and fails with `formData.get is not
//! a function`.
//!
//! **Example.**
//! ```text
//! export async function save(formData: FormData) {…}  →  export async function save(prevState: unknown, formData: FormData) {…}
//! ```
//!
//! **Not applied.** Where the function is also used otherwise (a `<form action={…}>` would
//! break, a direct call counts too), or lives in a file this run does not change: a finding at
//! the hook's callee naming the other uses.

use crate::fix::{Edit, line_col};
use crate::project::uses::UseKind;
use crate::project::{Project, ResolvedUse};
use crate::transforms::{Meta, ProjectOutcome, ProjectTransform};
use std::collections::BTreeMap;
use std::path::PathBuf;

pub struct ActionStateSignature;

static META: Meta = Meta {
    name: "action-state-signature",
    summary: "an action of useActionState that takes (formData) only → (prevState, formData)",
    words: &[&["useActionState"], &["useFormState"]],
    needs: "Next 14 or 15",
    queries: &[],
};

impl ProjectTransform for ActionStateSignature {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn run(&self, project: &Project) -> ProjectOutcome {
        let mut outcome = ProjectOutcome::default();
        let all = project.resolved_uses();
        // (module, function, bound) → the hook uses.
        let mut functions: BTreeMap<(PathBuf, String, usize), Vec<ResolvedUse>> = BTreeMap::new();
        for u in &all {
            let UseKind::Hook { .. } = u.at.kind else { continue };
            let params = &u.function.params;
            let Some(payload) = params.get(u.at.bound) else {
                continue;
            };
            let is_payload = payload.name == "formData" || payload.type_text.as_deref() == Some("FormData");
            if !is_payload || params.len() != u.at.bound + 1 {
                continue;
            }
            let key = (u.module.path.clone(), u.function.name.clone(), u.at.bound);
            functions.entry(key).or_default().push(*u);
        }
        for ((module_path, name, bound), hook_uses) in functions {
            let Some(first) = hook_uses.first() else { continue };
            let (module, function) = (first.module, first.function);
            let mut others: Vec<String> = project
                .uses_of(&all, &module_path, &name)
                .iter()
                .filter(|u| !matches!(u.at.kind, UseKind::Hook { .. }) || u.at.bound != bound)
                .map(|u| {
                    let (line, _) = line_col(&u.file.text, u.at.at.start);
                    let what = match &u.at.kind {
                        UseKind::FormAction { prop } => format!("a form's {prop}, which would break"),
                        UseKind::Call => "a direct call".into(),
                        UseKind::Hook { .. } => "a hook with other bound arguments".into(),
                        UseKind::EventProp { prop } => format!("an {prop} prop"),
                        UseKind::Other => "passed on".into(),
                    };
                    format!("{}:{line} ({what})", project.display(&u.file.path))
                })
                .collect();
            if module.used_locally.contains(&name) {
                others.push(format!("{} (its own module)", project.display(&module_path)));
            }
            let function_text = &module.text[function.range.clone()];
            let state_name = ["prevState", "_prevState"]
                .into_iter()
                .find(|n| !function_text.contains(n));
            let why = if !others.is_empty() {
                Some(format!("it is also used at {}", others.join(", ")))
            } else if !module.editable {
                Some(format!(
                    "{} is not among the files this run may change",
                    project.display(&module_path)
                ))
            } else if state_name.is_none() {
                Some("the names prevState and _prevState are taken in it".into())
            } else {
                None
            };
            let hook = |u: &ResolvedUse| match &u.at.kind {
                UseKind::Hook { hook, callee, .. } => (hook.clone(), callee.start),
                _ => (String::new(), u.at.at.start),
            };
            if let Some(why) = why {
                for u in &hook_uses {
                    let (hook, at) = hook(u);
                    let message = format!(
                        "{hook} calls `{name}` ({}) with (prevState, formData), but it takes the form data first: `formData.get is not a function`; not fixed: {why} — add a prevState parameter before formData",
                        project.display(&module_path)
                    );
                    outcome.note(&u.file.path, at, message);
                }
                continue;
            }
            let Some(state_name) = state_name else { continue };
            let Some(payload) = function.params.get(bound) else {
                continue;
            };
            let typed = crate::parse::is_typescript(&module_path);
            let parameter = if typed {
                format!("{state_name}: unknown")
            } else {
                state_name.to_string()
            };
            let edit = if function.params_range.is_none() {
                // `formData => …`: the lone parameter gets its parentheses.
                Edit::replace(payload.range.clone(), format!("({parameter}, {})", payload.name))
            } else {
                Edit::insert(payload.range.start, format!("{parameter}, "))
            };
            outcome.edit(&module_path, vec![edit]);
        }
        outcome
    }
}
