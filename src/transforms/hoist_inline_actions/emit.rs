//! The text of the actions module: chosen names, the hoisted functions.

use super::analyse::{Form, FunctionKind, Plan};
use super::module_imports::ImportNames;
use super::{Client, ModuleView, contains};
use crate::fix::apply_edits;
use crate::fix::{Edit, Note};
use crate::imports::import_decls;
use crate::lines::line_range;
use crate::rename::rename_reference;
use crate::scope::fresh_name_where;
use crate::style::{Style, indent_at};
use crate::syntax::has_token;
use std::collections::HashSet;
use std::ops::Range;
use tree_sitter::Node;

impl Client<'_> {
    /// Chooses names, then builds the edits of the client and of the actions module.
    pub(super) fn build(&self, plans: &mut [Plan], module: &ModuleView) -> Result<(Vec<Edit>, Vec<Edit>), Vec<Note>> {
        let style = Style::detect(self.text);
        let module_style = if module.created {
            style.clone()
        } else {
            Style::detect(module.text)
        };
        let module_top: HashSet<&str> = module
            .scopes
            .bindings
            .iter()
            .filter(|b| b.scope == 0)
            .map(|b| b.name.as_str())
            .collect();

        // 1. Function names: free in the module and in the client (but for the function itself).
        let mut chosen: Vec<String> = Vec::new();
        for plan in plans.iter_mut() {
            let own = plan.own.clone();
            let client_has = |name: &str| {
                self.scopes
                    .bindings
                    .iter()
                    .enumerate()
                    .any(|(id, b)| b.name == name && !own.contains(&id))
            };
            let name = fresh_name_where(&plan.base_name, |c| {
                !module_top.contains(c) && !client_has(c) && !chosen.iter().any(|n| n == c)
            });
            chosen.push(name.clone());
            plan.name = name;
        }

        // 2. Imports: reuse the module's own, or add them (aliased if the name is taken there).
        let (import_names, new_specs) = self.module_import_names(plans, module, &module_top, &chosen)?;

        // 3. Parameter names and types, then the hoisted text of every function.
        let mut functions: Vec<String> = Vec::new();
        for plan in plans.iter_mut() {
            self.name_params(plan, &import_names);
            let Some(text) = self.hoisted_text(plan, &import_names, &module_style) else {
                return Err(vec![Note::at(
                    plan.directive.start,
                    "the edits to move this inline Server Action conflict, so nothing was changed — please report this file",
                )]);
            };
            functions.push(text);
        }

        // 4. The actions module: imports after its imports, functions at the end.
        let client_decls = import_decls(self.tree, self.text);
        let mut module_edits = self.module_import_edits(&new_specs, &client_decls, module, &module_style);
        let nl = module_style.newline;
        let mut tail = String::new();
        if !module.text.is_empty() && !module.text.ends_with('\n') {
            tail.push_str(nl);
        }
        for function in &functions {
            tail.push_str(nl);
            tail.push_str(function);
            tail.push_str(nl);
        }
        module_edits.push(Edit::insert(module.text.len(), tail));

        // 5. The client: the functions go, references follow them, imports are updated.
        let client_edits = self.client_edits(plans, &client_decls, &style);
        Ok((client_edits, module_edits))
    }

    /// Names the captured parameters: a bare capture keeps its name, a chain is named after its
    /// last part, suffixed when the function already uses that name.
    fn name_params(&self, plan: &mut Plan, import_names: &ImportNames) {
        let function_scope = self
            .scopes
            .scopes
            .iter()
            .position(|s| s.range == plan.function)
            .unwrap_or(0);
        let mut taken: HashSet<String> = HashSet::new();
        for r in self
            .scopes
            .references
            .iter()
            .filter(|r| contains(&plan.function, &r.range))
        {
            taken.insert(r.name.clone());
        }
        for b in &self.scopes.bindings {
            if self.scopes.is_within(b.scope, function_scope) && function_scope != 0 {
                taken.insert(b.name.clone());
            }
        }
        taken.extend(import_names.values().cloned());
        taken.insert(plan.name.clone());
        for capture in plan.captures.iter().filter(|c| c.segments.is_empty()) {
            taken.insert(self.scopes.bindings[capture.root].name.clone());
        }
        for capture in plan.captures.iter_mut() {
            if capture.segments.is_empty() {
                capture.param = self.scopes.bindings[capture.root].name.clone();
                continue;
            }
            let base = capture.segments.last().cloned().unwrap_or_default();
            let name = fresh_name_where(&base, |c| !taken.contains(c));
            taken.insert(name.clone());
            capture.param = name;
        }
        for (capture, ty) in plan.captures.iter_mut().zip(&plan.capture_types) {
            if !self.module_ts {
                continue;
            }
            capture.ty = Some(
                ty.as_ref()
                    .and_then(|t| self.type_text(t, import_names))
                    .unwrap_or_else(|| "any".to_string()),
            );
        }
    }

    /// The client text of `range` with references renamed and extra edits applied.
    pub(super) fn renamed(&self, range: Range<usize>, names: &ImportNames, extra: &[Edit]) -> Option<String> {
        let mut edits: Vec<Edit> = Vec::new();
        for r in self.scopes.references.iter().filter(|r| contains(&range, &r.range)) {
            let Some(new) = r.binding.and_then(|b| names.get(&b)) else {
                continue;
            };
            if *new == r.name {
                continue;
            }
            edits.push(rename_reference(self.tree, r, new));
        }
        edits.extend(extra.iter().cloned());
        let shifted: Vec<Edit> = edits
            .into_iter()
            .filter(|e| range.start <= e.start && e.end <= range.end)
            .map(|e| Edit {
                start: e.start - range.start,
                end: e.end - range.start,
                text: e.text,
            })
            .collect();
        apply_edits(&self.text[range], &shifted).ok()
    }

    /// The function as the actions module will hold it.
    fn hoisted_text(&self, plan: &Plan, import_names: &ImportNames, module_style: &Style) -> Option<String> {
        let function = self.node_at(plan.function.clone())?;
        let mut names = import_names.clone();
        for &b in &plan.own {
            names.insert(b, plan.name.clone());
        }
        let mut edits: Vec<Edit> = Vec::new();
        // The directive goes, with the blank line after it.
        let mut directive = line_range(self.text, plan.directive.start, plan.directive.end);
        if directive.start != plan.directive.start {
            let next_end = self.text[directive.end..].find('\n').map(|i| directive.end + i + 1);
            if let Some(next_end) = next_end
                && self.text[directive.end..next_end].trim().is_empty()
            {
                directive.end = next_end;
            }
        }
        edits.push(Edit::delete(directive.clone()));
        for u in &plan.uses {
            let param = &plan.captures[u.capture].param;
            if u.bare && self.slice(u.range.clone()) == param {
                continue;
            }
            edits.push(Edit::replace(u.range.clone(), param.clone()));
        }
        if !has_token(function, "async") {
            edits.push(Edit::insert(plan.function.start, "async "));
        }
        // The name.
        match (plan.kind, function.child_by_field_name("name")) {
            (FunctionKind::Arrow, _) => {}
            (_, Some(name)) => edits.push(Edit::replace(name.byte_range(), plan.name.clone())),
            (_, None) => {
                let mut c = function.walk();
                let keyword = function.children(&mut c).find(|n| n.kind() == "function");
                let params = function.child_by_field_name("parameters");
                if let (Some(keyword), Some(params)) = (keyword, params) {
                    edits.push(Edit::replace(
                        keyword.end_byte()..params.start_byte(),
                        format!(" {}", plan.name),
                    ));
                }
            }
        }
        // The captured values as leading parameters.
        if !plan.captures.is_empty() {
            let list: Vec<String> = plan
                .captures
                .iter()
                .map(|c| match &c.ty {
                    Some(ty) => format!("{}: {ty}", c.param),
                    None => c.param.clone(),
                })
                .collect();
            let list = list.join(", ");
            if let Some(params) = function.child_by_field_name("parameters") {
                let has_params = params.named_child_count() > 0;
                let text = if has_params { format!("{list}, ") } else { list };
                edits.push(Edit::insert(params.start_byte() + 1, text));
            } else if let Some(param) = function.child_by_field_name("parameter") {
                edits.push(Edit::insert(param.start_byte(), format!("({list}, ")));
                edits.push(Edit::insert(param.end_byte(), ")"));
            }
        }
        // Dedent to the module's top level, leaving multi-line template strings alone.
        let indent = indent_at(self.text, plan.function.start);
        if !indent.is_empty() {
            let templates = multiline_templates(function);
            let mut at = plan.function.start;
            while let Some(i) = self.text[at..plan.function.end].find('\n') {
                let line_start = at + i + 1;
                at = line_start;
                if line_start >= plan.function.end
                    || templates.iter().any(|t| t.start < line_start && line_start < t.end)
                    || edits.iter().any(|e| e.start <= line_start && line_start < e.end)
                {
                    continue;
                }
                if self.text[line_start..].starts_with(indent) {
                    edits.push(Edit::delete(line_start..line_start + indent.len()));
                }
            }
        }
        let body = self.renamed(plan.function.clone(), &names, &edits)?;
        Some(match (&plan.form, plan.kind) {
            (Form::Const { annotation, .. }, FunctionKind::Arrow) => {
                let annotation = match annotation {
                    Some(a) => format!(
                        ": {}",
                        self.renamed(a.clone(), &names, &[])?
                            .trim_start_matches(':')
                            .trim_start()
                    ),
                    None => String::new(),
                };
                format!("export const {}{annotation} = {body}{}", plan.name, module_style.semi())
            }
            (_, FunctionKind::Arrow) => format!("export const {} = {body}{}", plan.name, module_style.semi()),
            _ => format!("export {body}"),
        })
    }
}

/// Template strings under `node` that span several lines (their text must not be re-indented).
fn multiline_templates(node: Node) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut cursor = node.walk();
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        if n.kind() == "template_string" && n.start_position().row != n.end_position().row {
            found.push(n.byte_range());
        }
        todo.extend(n.children(&mut cursor));
    }
    found
}
