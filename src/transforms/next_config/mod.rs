//! # next-config
//!
//! **What it does.** Rewrites the next.config keys Next 15 moved, renamed or dropped, where the
//! meaning stays: `experimental.serverComponentsExternalPackages` → `serverExternalPackages`,
//! the `outputFileTracing*` keys → top level (`outputFileTracingIgnores` into
//! `outputFileTracingExcludes['**/*']`), `swrDelta` → `expireTime`, the `compiler.*` moves,
//! `outputStandalone` → `output: 'standalone'`, `devIndicators.buildActivityPosition` →
//! `position`, `experimental.turbo` → `turbopack`, `experimental.typedRoutes` → `typedRoutes`;
//! dead switches (`swcMinify`, `optimizeFonts`, `instrumentationHook`, `appDir`, ...) are removed.
//! Keys that need a person (`analyticsId`, `images.domains`, `publicRuntimeConfig`, ...) get a
//! finding. The table is `EXPERIMENTAL` / `TOP_LEVEL` below and in the README.
//!
//! **Why.** Next 15 handles the old keys quietly: one it no longer knows gets "Unrecognized
//! key(s)" and its value is ignored; one it moved is copied, and when both old and new are set
//! the old value wins. Either way the config says one thing and the app does another.
//!
//! **Example.**
//! ```text
//! module.exports = {                                   module.exports = {
//!   swcMinify: true,                                     serverExternalPackages: ['sharp'],
//!   experimental: {                               →    }
//!     serverComponentsExternalPackages: ['sharp'],
//!   },
//! }
//! ```
//!
//! **Not applied.** Each rewrite needs a Next version (`Rewrite::needs`): below it — `--to 14`,
//! or an app whose package.json already declares an older 15.x — it is held back, because the
//! older Next ignores the new key and the setting would be lost. Where old and new key are both
//! set, nothing is changed and a finding says which one Next uses. Config objects that cannot
//! be found statically, computed keys and values this tool cannot read get findings, as in
//! server-actions-flag (whose config finding and editing this rule shares, `config::`).

mod assignments;
mod keys;
mod moves;
mod text;

use crate::fix::apply_edits;
use crate::fix::{Edit, Outcome};
use crate::style::{Style, indent_at};
use crate::target::{Needs, Version};
use crate::transforms::config::edit::{NewProp, edit_object, new_prop, reindent, removal_range};
use crate::transforms::config::find::{
    self, Assignment, Config, assignments, key_name, object_items, pair_key, snippet,
};
use crate::transforms::{Meta, SourceFile, Transform};
use keys::*;
use std::collections::HashSet;
use std::path::Path;
use text::*;
use tree_sitter::Node;

pub struct NextConfig;

static META: Meta = Meta {
    name: "next-config",
    summary: "next.config: the keys Next 15 moved, renamed or dropped (serverExternalPackages, outputFileTracing*, expireTime, turbopack, ...)",
    words: &[
        &["serverComponentsExternalPackages"],
        &["bundlePagesExternals"],
        &["outputFileTracing"],
        &["swrDelta"],
        &["swcMinify"],
        &["instrumentationHook"],
        &["appDir"],
        &["optimizeFonts"],
        &["adjustFontFallbacks"],
        &["transpilePackages"],
        &["skipMiddlewareUrlNormalize"],
        &["skipTrailingSlashRedirect"],
        &["relay"],
        &["styledComponents"],
        &["emotion"],
        &["reactRemoveProperties"],
        &["removeConsole"],
        &["outputStandalone"],
        &["buildActivity"],
        &["appIsrStatus"],
        &["turbo"],
        &["typedRoutes"],
        &["analyticsId"],
        &["missingSuspenseWithCSRBailout"],
        &["esmExternals"],
        &["domains"],
        &["i18n"],
        &["RuntimeConfig"],
    ],
    needs: "each rewrite its own Next release: 15.0 for most, 15.2 devIndicators, 15.3 turbopack, 15.5 typedRoutes",
    queries: &[&find::EXPORTS],
};

impl Transform for NextConfig {
    fn meta(&self) -> &'static Meta {
        &META
    }

    fn applies_to(&self, path: &Path) -> bool {
        find::is_config_file(path)
    }

    fn run(&self, file: &SourceFile) -> Outcome {
        let mut outcome = Outcome::default();
        if !META.words_in(file.text) {
            return outcome;
        }
        let lookup = find::find_configs(file);
        // No finding for a config this rule cannot follow: server-actions-flag already names it
        // for its keys, and most configs that mention `relay` or `i18n` need nothing.
        if lookup.no_export {
            return outcome;
        }
        lookup.note_unreadable(file.text, &format!("check it for {KEYS} by hand"), &mut outcome);
        let mut rule = Rule {
            file,
            style: file.style().clone(),
            declared: crate::versions::declared_next(file.path),
            outcome,
            edits: Vec::new(),
            needs: Version::ANY,
        };
        for config in &lookup.configs {
            rule.config(config);
        }
        let mut outcome = rule.outcome;
        let changed = !rule.edits.is_empty();
        // One fix: the keys of one config are rewritten together (their edits share commas).
        outcome.fix("Update next.config for Next 15", rule.edits);
        outcome.needs = if !changed {
            Needs::NOTHING
        } else {
            Needs {
                next: rule.needs,
                react: Version::ANY,
            }
        };
        outcome
    }
}

/// A top-level key the rewrites write into, as the config has it.
enum Target<'t> {
    Absent,
    Object(Node<'t>),
    /// Set to something that is not an object literal (or by an assignment).
    Other,
}

struct Rule<'f, 't> {
    file: &'f SourceFile<'t>,
    style: Style,
    declared: Option<Version>,
    outcome: Outcome,
    edits: Vec<Edit>,
    /// The newest release the applied edits need.
    needs: Version,
}

/// What one config's rewrites share: the top-level keys and the objects they add to.
struct Scope<'t> {
    top_names: HashSet<String>,
    compiler: Target<'t>,
    excludes: Target<'t>,
    turbopack: Target<'t>,
    to_config: Vec<NewProp>,
    to_compiler: Vec<(String, String, Vec<String>)>,
    to_turbopack: Vec<NewProp>,
    /// `outputFileTracingIgnores` values to add under `'**/*'`.
    ignores: Vec<Node<'t>>,
    multiline: bool,
}

impl<'t> Rule<'_, 't> {
    fn text(&self) -> &'t str {
        self.file.text
    }

    fn note(&mut self, node: Node, message: String) {
        self.outcome.note(node.start_byte(), message);
    }

    /// Whether a rewrite that needs `needs` may be made: the target allows it, and an app that
    /// already declares a 15.x release declares at least that one. Counts it as held back if not.
    fn allowed(&mut self, needs: Version) -> bool {
        let target_allows = self.file.target.allows(Needs {
            next: needs,
            react: Version::ANY,
        });
        let declared_allows = self.declared.is_none_or(|d| d.major < 15 || d >= needs);
        if target_allows && declared_allows {
            self.needs = self.needs.max(needs);
            true
        } else {
            self.outcome.held_back += 1;
            false
        }
    }

    /// Whether a finding about a release may be shown (no edit: nothing is held back).
    fn reports(&self, needs: Version) -> bool {
        self.file.target.allows(Needs {
            next: needs,
            react: Version::ANY,
        })
    }

    fn config(&mut self, config: &Config<'t>) {
        let text = self.text();
        let items = object_items(config.object);
        let mut statements = Vec::new();
        if let Some((name, block)) = &config.binding {
            assignments(text, name, *block, &mut statements);
        }
        let mut top_names: HashSet<String> = items
            .iter()
            .filter_map(|item| pair_key(text, *item).map(str::to_string))
            .collect();
        top_names.extend(
            statements
                .iter()
                .filter(|a| a.path.len() == 1)
                .map(|a| a.path[0].clone()),
        );
        let target_of = |name: &str| -> Target<'t> {
            if statements.iter().any(|a| a.path.first().is_some_and(|p| p == name)) {
                return Target::Other;
            }
            match items.iter().find(|item| pair_key(text, **item) == Some(name)) {
                None => Target::Absent,
                Some(item) => match item.child_by_field_name("value") {
                    Some(value) if value.kind() == "object" => Target::Object(value),
                    _ => Target::Other,
                },
            }
        };
        let mut scope = Scope {
            compiler: target_of("compiler"),
            excludes: target_of("outputFileTracingExcludes"),
            turbopack: target_of("turbopack"),
            top_names,
            to_config: Vec::new(),
            to_compiler: Vec::new(),
            to_turbopack: Vec::new(),
            ignores: Vec::new(),
            multiline: text[config.object.byte_range()].contains('\n'),
        };

        let mut remove_from_config = Vec::new();
        let mut experimentals: Vec<(Node, Option<usize>, Option<Node>)> = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let Some(name) = pair_key(text, *item) else {
                continue;
            };
            if name == "experimental" {
                match item.child_by_field_name("value") {
                    Some(value) if value.kind() == "object" => experimentals.push((value, Some(index), None)),
                    _ => self.note(
                        *item,
                        format!(
                            "`experimental` is not an object literal this tool can read (`{}`); check it for {KEYS} by hand",
                            snippet(text, *item)
                        ),
                    ),
                }
                continue;
            }
            if self.top_level(*item, name) {
                remove_from_config.push(index);
            }
        }
        for assignment in statements.iter().filter(|a| a.path == ["experimental"]) {
            if assignment.right.kind() == "object" {
                experimentals.push((assignment.right, None, Some(assignment.statement)));
            }
        }
        // `config.experimental.x = ...` later on needs the object, even empty.
        let keep_empty = statements
            .iter()
            .any(|a| a.path.len() >= 2 && a.path[0] == "experimental");
        for (object, index, statement) in experimentals {
            if !self.experimental(object, keep_empty, &mut scope) {
                continue;
            }
            match (index, statement) {
                (Some(index), _) => remove_from_config.push(index),
                (None, Some(statement)) => {
                    self.edits
                        .push(Edit::delete(removal_range(text, statement, statement.end_byte())));
                }
                _ => {}
            }
        }
        for assignment in &statements {
            self.assignment(assignment, &scope);
        }
        self.flush(&mut scope);
        remove_from_config.sort_unstable();
        if !remove_from_config.is_empty() || !scope.to_config.is_empty() {
            let edits = edit_object(
                text,
                config.object,
                &items,
                &remove_from_config,
                &scope.to_config,
                &self.style,
            );
            self.edits.extend(edits);
        }
    }

    /// One top-level property; returns whether it is removed.
    fn top_level(&mut self, item: Node<'t>, name: &str) -> bool {
        let text = self.text();
        let Some((_, rewrite, needs)) = TOP_LEVEL.iter().find(|(key, _, _)| *key == name) else {
            return false;
        };
        let value = item.child_by_field_name("value");
        let kind = value.map(|v| v.kind());
        match *rewrite {
            TopRewrite::Remove => self.allowed(*needs),
            TopRewrite::RemoveBool(why) => match kind {
                Some("true") => self.allowed(*needs),
                Some("false") => {
                    let removed = self.allowed(*needs);
                    if removed {
                        self.note(item, format!("`{name}: false` was removed: the switch {why}"));
                    }
                    removed
                }
                _ => false,
            },
            TopRewrite::RemoveFalse(why) => {
                let removed = kind == Some("false") && self.allowed(*needs);
                if removed {
                    self.note(item, format!("`{name}: false` was removed: the switch {why}"));
                }
                removed
            }
            TopRewrite::Report(message) => {
                if self.reports(*needs) {
                    self.note(item, report_message(name, message));
                }
                false
            }
            TopRewrite::DevIndicators => {
                if let Some(object) = value.filter(|v| v.kind() == "object") {
                    return self.dev_indicators(object);
                }
                false
            }
            TopRewrite::Images => {
                if let Some(object) = value.filter(|v| v.kind() == "object")
                    && let Some(domains) = object_items(object)
                        .into_iter()
                        .find(|i| pair_key(text, *i) == Some("domains"))
                    && self.reports(*needs)
                {
                    self.note(domains, "`images.domains` is deprecated: list the hosts in `images.remotePatterns` (`{ protocol: 'https', hostname: 'example.com' }`), which also pins the protocol and path".to_string());
                }
                false
            }
            TopRewrite::I18n => {
                if self.reports(*needs) && has_app_folder(self.file.path) {
                    self.note(item, "`i18n` applies to the Pages Router only: the routes of this app's `app/` folder ignore it (the App Router localises with a `[lang]` segment and middleware)".to_string());
                }
                false
            }
        }
    }

    /// `devIndicators`: returns whether the object is left empty (it is then removed).
    fn dev_indicators(&mut self, object: Node<'t>) -> bool {
        let text = self.text();
        let items = object_items(object);
        let names: Vec<Option<&str>> = items.iter().map(|i| pair_key(text, *i)).collect();
        let mut remove = Vec::new();
        let mut edits = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let (Some(name), Some(value)) = (names[index], item.child_by_field_name("value")) else {
                continue;
            };
            match name {
                "buildActivityPosition" => {
                    if names.contains(&Some("position")) {
                        if self.reports(V15_2) {
                            self.note(*item, "`devIndicators.buildActivityPosition` and `devIndicators.position` are both set; Next uses `buildActivityPosition` (nothing was changed): keep the one you mean as `position` and remove the other".to_string());
                        }
                        continue;
                    }
                    let Some(key) = item.child_by_field_name("key").filter(|k| k.kind() == "property_identifier") else {
                        continue;
                    };
                    if self.allowed(V15_2) {
                        edits.push(Edit::replace(key.byte_range(), "position"));
                    }
                }
                "buildActivity" | "appIsrStatus" => match value.kind() {
                    "true" if self.allowed(V15_2) => remove.push(index),
                    "false" if self.reports(V15_2) => self.note(*item, format!("`devIndicators.{name}: false` no longer exists since Next 15.2 (nothing was changed): `devIndicators: false` is the closest, and hides every indicator")),
                    _ => {}
                },
                _ => {}
            }
        }
        if !items.is_empty() && remove.len() == items.len() {
            return true;
        }
        if !remove.is_empty() {
            edits.extend(edit_object(text, object, &items, &remove, &[], &self.style));
        }
        self.edits.extend(edits);
        false
    }

    /// One `experimental` object; returns whether it is left empty (its holder is then removed
    /// instead, and its own edits dropped).
    fn experimental(&mut self, object: Node<'t>, keep_empty: bool, scope: &mut Scope<'t>) -> bool {
        let text = self.text();
        let items = object_items(object);
        let names: HashSet<&str> = items.iter().filter_map(|i| pair_key(text, *i)).collect();
        let mut remove = Vec::new();
        let mut append: Vec<NewProp> = Vec::new();
        let mut edits = Vec::new();
        for (index, item) in items.iter().enumerate() {
            match item.kind() {
                "spread_element" => {
                    self.note(
                        *item,
                        format!(
                            "`{}` in `experimental` may carry {KEYS}; check it by hand",
                            snippet(text, *item)
                        ),
                    );
                    continue;
                }
                "pair" => {}
                _ => continue,
            }
            let (Some(key), Some(value)) = (item.child_by_field_name("key"), item.child_by_field_name("value")) else {
                continue;
            };
            let Some(name) = key_name(text, key) else {
                continue;
            };
            let Some((_, rewrite, needs)) = EXPERIMENTAL.iter().find(|(k, _, _)| *k == name) else {
                continue;
            };
            let (rewrite, needs) = (*rewrite, *needs);
            let removed = match rewrite {
                Rewrite::Top(new) => self.move_to_top(*item, name, new, value, needs, scope),
                Rewrite::SwrDelta => {
                    let moved = self.move_to_top(*item, name, "expireTime", value, needs, scope);
                    if moved {
                        self.note(*item, format!("`experimental.swrDelta: {}` became `expireTime`: Next 15 sends `stale-while-revalidate` = expireTime − the page's revalidate, not this number; check the value", snippet(text, value)));
                    }
                    moved
                }
                Rewrite::Compiler => match scope.compiler {
                    Target::Other => {
                        self.note(*item, format!("`experimental.{name}` was not moved into `compiler`, which this tool cannot read; move it there by hand"));
                        false
                    }
                    Target::Object(compiler)
                        if object_items(compiler).iter().any(|i| pair_key(text, *i) == Some(name)) =>
                    {
                        self.both(*item, name, &format!("compiler.{name}"));
                        false
                    }
                    _ if self.allowed(needs) => {
                        let (leading, _) = crate::transforms::config::edit::attached_comments(text, *item);
                        scope.to_compiler.push((
                            name.to_string(),
                            reindent(&text[value.byte_range()], indent_at(text, item.start_byte()), ""),
                            leading.iter().map(|c| text[c.byte_range()].to_string()).collect(),
                        ));
                        true
                    }
                    _ => false,
                },
                Rewrite::TracingIgnores => self.tracing_ignores(*item, value, &names, scope),
                Rewrite::Standalone => {
                    if value.kind() != "true" {
                        false
                    } else if scope.top_names.contains("output") {
                        self.note(*item, "`experimental.outputStandalone` and `output` are both set; Next 15 reads only `output` (nothing was changed): set `output: 'standalone'` if that is what you mean, and remove `outputStandalone`".to_string());
                        false
                    } else if self.allowed(needs) {
                        let q = self.style.quote;
                        scope.to_config.push(NewProp {
                            value: format!("{q}standalone{q}"),
                            ..new_prop(text, *item, "output", value)
                        });
                        true
                    } else {
                        false
                    }
                }
                Rewrite::Turbo => self.turbo(*item, value, &names, &mut append, scope),
                Rewrite::Remove => self.allowed(needs),
                Rewrite::RemoveBool(why) => match value.kind() {
                    "true" => self.allowed(needs),
                    "false" if self.allowed(needs) => {
                        self.note(
                            *item,
                            format!("`experimental.{name}: false` was removed: the switch {why}"),
                        );
                        true
                    }
                    _ => false,
                },
                Rewrite::Report(message) => {
                    if self.reports(needs) {
                        self.note(*item, message.to_string());
                    }
                    false
                }
                Rewrite::ReportUnlessTrue(message) => {
                    if value.kind() != "true" && self.reports(needs) {
                        self.note(*item, format!("{message} (`{}`)", snippet(text, value)));
                    }
                    false
                }
            };
            if removed {
                remove.push(index);
            }
        }
        if !keep_empty && !items.is_empty() && remove.len() == items.len() && append.is_empty() {
            return true;
        }
        if !remove.is_empty() || !append.is_empty() {
            edits.extend(edit_object(text, object, &items, &remove, &append, &self.style));
        }
        self.edits.extend(edits);
        false
    }
}
