//! The imports the moved code needs in the actions module: the module's own reused, the rest
//! merged into its statements from the same source or added as statements shaped like the
//! client's.

use super::analyse::Plan;
use super::{ACTIONS_SPECIFIER, Client, ModuleView};
use crate::fix::{Edit, Note};
use crate::imports::{ImportDecl, append_named, import_decls, insert_statement, specifier};
use crate::scope::{BindingId, BindingKind, Imported, fresh_name_where};
use crate::style::Style;
use std::collections::{BTreeMap, HashMap, HashSet};

/// An import specifier to add to the actions module.
#[derive(Debug, Clone)]
pub(super) struct NewSpec {
    /// The client import statement it comes from (its index among the client's imports).
    decl: usize,
    imported: Imported,
    local: String,
    type_only: bool,
}

/// The names the moved code's imports have in the module, by client binding.
pub(super) type ImportNames = HashMap<BindingId, String>;

impl Client<'_> {
    /// The module's name for every import the plans use, and the specifiers the module lacks
    /// (aliased where the name is taken there). Refuses every plan that uses a name of the
    /// actions module the module does not declare.
    pub(super) fn module_import_names(
        &self,
        plans: &[Plan],
        module: &ModuleView,
        module_top: &HashSet<&str>,
        chosen: &[String],
    ) -> Result<(ImportNames, Vec<NewSpec>), Vec<Note>> {
        let mut import_names: ImportNames = HashMap::new();
        let mut new_specs: Vec<NewSpec> = Vec::new();
        let mut all_imports: Vec<BindingId> = plans.iter().flat_map(|p| p.imports.iter().copied()).collect();
        all_imports.sort_by_key(|&b| self.scopes.bindings[b].ident.start);
        all_imports.dedup();
        let mut module_names_added: Vec<String> = Vec::new();
        for b in all_imports {
            let binding = &self.scopes.bindings[b];
            let BindingKind::Import(import) = &binding.kind else {
                continue;
            };
            if is_actions_specifier(&import.source) {
                // Already in the actions module: refer to it by its own name there.
                match &import.imported {
                    Imported::Named(name) if module_top.contains(name.as_str()) => {
                        import_names.insert(b, name.clone());
                    }
                    _ => {
                        let notes = plans
                            .iter()
                            .filter(|p| p.imports.contains(&b))
                            .map(|plan| Note::at(plan.directive.start, format!("it uses `{}` from {ACTIONS_SPECIFIER}, which {} does not declare under that name, so nothing was moved — move it by hand", binding.name, self.module_name)))
                            .collect();
                        return Err(notes);
                    }
                }
                continue;
            }
            let existing = module.scopes.bindings.iter().find(|mb| match &mb.kind {
                BindingKind::Import(mi) => {
                    mi.source == import.source && mi.imported == import.imported && (mi.type_only <= import.type_only)
                }
                _ => false,
            });
            if let Some(existing) = existing {
                import_names.insert(b, existing.name.clone());
                continue;
            }
            let local = fresh_name_where(&binding.name, |name| {
                !module_top.contains(name)
                    && !chosen.iter().any(|c| c == name)
                    && !module_names_added.iter().any(|c| c == name)
            });
            module_names_added.push(local.clone());
            import_names.insert(b, local.clone());
            let Some(decl) = import_decls(self.tree, self.text)
                .into_iter()
                .position(|d| d.range.start <= binding.ident.start && binding.ident.end <= d.range.end)
            else {
                continue;
            };
            new_specs.push(NewSpec {
                decl,
                imported: import.imported.clone(),
                local,
                type_only: import.type_only,
            });
        }
        Ok((import_names, new_specs))
    }

    /// The module's edits that add `new_specs`: joined to a statement of the same source where
    /// one takes them, else new statements after the module's imports.
    pub(super) fn module_import_edits(
        &self,
        new_specs: &[NewSpec],
        client_decls: &[ImportDecl],
        module: &ModuleView,
        module_style: &Style,
    ) -> Vec<Edit> {
        let mut module_edits = Vec::new();
        let mut statements: Vec<String> = Vec::new();
        let mut by_decl: BTreeMap<usize, Vec<&NewSpec>> = BTreeMap::new();
        for spec in new_specs {
            by_decl.entry(spec.decl).or_default().push(spec);
        }
        for (d, specs) in by_decl {
            let client_decl = &client_decls[d];
            let (named, other): (Vec<&NewSpec>, Vec<&NewSpec>) = specs
                .into_iter()
                .partition(|s| matches!(s.imported, Imported::Named(_)));
            let mut unmerged = other;
            if !named.is_empty() {
                let target = module.decls.iter().find(|md| {
                    md.source == client_decl.source
                        && md.namespace.is_none()
                        && (md.braces.is_some() || md.default.is_some())
                        && (!md.type_only || named.iter().all(|s| s.type_only || client_decl.type_only))
                });
                let merged = target.and_then(|md| {
                    let texts: Vec<String> = named.iter().map(|s| specifier_text(s, md.type_only)).collect();
                    if md.type_only {
                        // `import type { A }`: append names as they are (they are all types).
                        append_named_any(module.text, md, &texts.join(", "), module_style)
                    } else {
                        append_named(module.text, md, &texts.join(", "), module_style)
                    }
                });
                match merged {
                    Some(edit) => module_edits.push(edit),
                    None => unmerged.extend(named),
                }
            }
            if !unmerged.is_empty() {
                unmerged.sort_by_key(|s| matches!(s.imported, Imported::Named(_)));
                statements.push(import_text(client_decl, &unmerged, module_style));
            }
        }
        if !statements.is_empty() {
            let nl = module_style.newline;
            let joined = statements.join(nl);
            // After the module's imports, else a blank line after its directives.
            let (at, statement) = match module.decls.last() {
                Some(last) => (last.range.end, joined),
                None => (module.directives_end, format!("{nl}{joined}")),
            };
            module_edits.push(insert_statement(module.text, (at, false), &statement, module_style));
        }
        module_edits
    }
}

fn specifier_text(spec: &NewSpec, statement_is_type: bool) -> String {
    let Imported::Named(imported) = &spec.imported else {
        return spec.local.clone();
    };
    let type_prefix = if spec.type_only && !statement_is_type {
        "type "
    } else {
        ""
    };
    format!("{type_prefix}{}", specifier(imported, &spec.local))
}

/// A new import statement of the actions module, shaped like the client's statement.
fn import_text(client_decl: &ImportDecl, specs: &[&NewSpec], style: &Style) -> String {
    let type_kw = if client_decl.type_only { "type " } else { "" };
    let mut parts: Vec<String> = Vec::new();
    let mut named: Vec<String> = Vec::new();
    for spec in specs {
        match spec.imported {
            Imported::Default => parts.push(spec.local.clone()),
            Imported::Namespace => parts.push(format!("* as {}", spec.local)),
            Imported::Named(_) => named.push(specifier_text(spec, client_decl.type_only)),
        }
    }
    if !named.is_empty() {
        parts.push(format!("{{ {} }}", named.join(", ")));
    }
    format!(
        "import {type_kw}{} from {}{}",
        parts.join(", "),
        style.string(&client_decl.source),
        style.semi()
    )
}

/// Like `append_named`, for an `import type { ... }` statement (which takes only types).
fn append_named_any(text: &str, decl: &ImportDecl, specifier: &str, style: &Style) -> Option<Edit> {
    let mut value_like = decl.clone();
    value_like.type_only = false;
    append_named(text, &value_like, specifier, style)
}

/// Whether a client import names the actions module the code moves into.
fn is_actions_specifier(source: &str) -> bool {
    matches!(
        source,
        "./actions" | "./actions/index" | "./actions.ts" | "./actions.js" | "./actions/index.ts" | "./actions/index.js"
    )
}
