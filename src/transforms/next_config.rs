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

use crate::fix::apply_edits;
use crate::fix::{Edit, Outcome};
use crate::style::{Style, indent_at};
use crate::target::{Needs, Version};
use crate::transforms::config::edit::{NewProp, edit_object, new_prop, reindent, removal_range};
use crate::transforms::config::find::{
    self, Assignment, Config, assignments, key_name, object_items, pair_key, snippet,
};
use crate::transforms::{Meta, SourceFile, Transform};
use std::collections::HashSet;
use std::path::Path;
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

const V13: Version = Version::new(13, 0);
const V15: Version = Version::new(15, 0);
const V15_2: Version = Version::new(15, 2);
const V15_3: Version = Version::new(15, 3);
const V15_5: Version = Version::new(15, 5);

/// What happens to a key of `experimental`.
#[derive(Clone, Copy)]
enum Rewrite {
    /// Moves to this top-level key, same value.
    Top(&'static str),
    /// Moves into `compiler`, same name.
    Compiler,
    /// `swrDelta: N` → `expireTime: N`, with a finding about the header Next 15 sends.
    SwrDelta,
    /// `outputFileTracingIgnores: [...]` → `outputFileTracingExcludes: { '**/*': [...] }`.
    TracingIgnores,
    /// `outputStandalone: true` → `output: 'standalone'`.
    Standalone,
    /// `turbo` → `turbopack`.
    Turbo,
    /// Removed whatever its value.
    Remove,
    /// `true` removed; `false` removed with this finding (the switch no longer exists).
    RemoveBool(&'static str),
    /// A finding only.
    Report(&'static str),
    /// A finding unless the value is `true` (the default).
    ReportUnlessTrue(&'static str),
}

const NO_SWITCH: &str = "no longer exists in Next 15: it cannot be turned off any more";

/// The keys of `experimental`: (key, rewrite, the Next release the output needs).
const EXPERIMENTAL: &[(&str, Rewrite, Version)] = &[
    (
        "serverComponentsExternalPackages",
        Rewrite::Top("serverExternalPackages"),
        V15,
    ),
    (
        "bundlePagesExternals",
        Rewrite::Top("bundlePagesRouterDependencies"),
        V15,
    ),
    ("outputFileTracingRoot", Rewrite::Top("outputFileTracingRoot"), V15),
    (
        "outputFileTracingIncludes",
        Rewrite::Top("outputFileTracingIncludes"),
        V15,
    ),
    (
        "outputFileTracingExcludes",
        Rewrite::Top("outputFileTracingExcludes"),
        V15,
    ),
    ("outputFileTracingIgnores", Rewrite::TracingIgnores, V15),
    ("swrDelta", Rewrite::SwrDelta, V15),
    ("instrumentationHook", Rewrite::RemoveBool(NO_SWITCH), V15),
    ("appDir", Rewrite::Remove, V15),
    ("adjustFontFallbacks", Rewrite::Remove, V15),
    ("adjustFontFallbacksWithSizeAdjust", Rewrite::Remove, V15),
    ("transpilePackages", Rewrite::Top("transpilePackages"), V13),
    (
        "skipMiddlewareUrlNormalize",
        Rewrite::Top("skipMiddlewareUrlNormalize"),
        V13,
    ),
    (
        "skipTrailingSlashRedirect",
        Rewrite::Top("skipTrailingSlashRedirect"),
        V13,
    ),
    ("relay", Rewrite::Compiler, V13),
    ("styledComponents", Rewrite::Compiler, V13),
    ("emotion", Rewrite::Compiler, V13),
    ("reactRemoveProperties", Rewrite::Compiler, V13),
    ("removeConsole", Rewrite::Compiler, V13),
    ("outputStandalone", Rewrite::Standalone, V13),
    ("turbo", Rewrite::Turbo, V15_3),
    ("typedRoutes", Rewrite::Top("typedRoutes"), V15_5),
    (
        "missingSuspenseWithCSRBailout",
        Rewrite::Report(
            "`experimental.missingSuspenseWithCSRBailout` is gone in Next 15: a `useSearchParams()` outside a `<Suspense>` boundary always fails the static build now; wrap those components in `<Suspense>`, then remove the key",
        ),
        V15,
    ),
    (
        "esmExternals",
        Rewrite::ReportUnlessTrue(
            "`experimental.esmExternals` is set to a non-default value; Next 15 resolves ES modules itself and this switch is on its way out: check that the app builds and runs without it, then remove it",
        ),
        V15,
    ),
];

/// What happens to a top-level key.
#[derive(Clone, Copy)]
enum TopRewrite {
    Remove,
    /// `true` removed; `false` removed with this finding.
    RemoveBool(&'static str),
    /// `false` removed with this finding; `true` left alone.
    RemoveFalse(&'static str),
    Report(&'static str),
    DevIndicators,
    Images,
    I18n,
}

const RUNTIME_CONFIG: &str = "is deprecated in Next 15.5 (and the App Router never reads it): read environment variables instead (`process.env.X`, `NEXT_PUBLIC_X` for the browser)";

const TOP_LEVEL: &[(&str, TopRewrite, Version)] = &[
    ("swcMinify", TopRewrite::RemoveBool(NO_SWITCH), V15),
    ("optimizeFonts", TopRewrite::Remove, V15),
    ("outputFileTracing", TopRewrite::RemoveFalse(NO_SWITCH), V15),
    (
        "analyticsId",
        TopRewrite::Report(
            "`analyticsId` is no longer read by Next 15: Vercel Speed Insights moved to the `@vercel/speed-insights` package; add it if you use them, then remove the key",
        ),
        V15,
    ),
    ("publicRuntimeConfig", TopRewrite::Report(RUNTIME_CONFIG), V15_5),
    ("serverRuntimeConfig", TopRewrite::Report(RUNTIME_CONFIG), V15_5),
    ("devIndicators", TopRewrite::DevIndicators, V15_2),
    ("images", TopRewrite::Images, V15),
    ("i18n", TopRewrite::I18n, V15),
];

/// `experimental.turbo` keys that Next 15.3 reads from `experimental` instead of `turbopack`.
const TURBO_TO_EXPERIMENTAL: &[(&str, &str)] = &[
    ("memoryLimit", "turbopackMemoryLimit"),
    ("minify", "turbopackMinify"),
    ("treeShaking", "turbopackTreeShaking"),
    ("sourceMaps", "turbopackSourceMaps"),
];

const KEYS: &str = "keys Next 15 moved or dropped";

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

    fn both(&mut self, item: Node, old: &str, new: &str) {
        self.note(item, format!("`experimental.{old}` and `{new}` are both set; Next uses the `experimental` value (nothing was changed): keep the one you mean as `{new}` and remove the other"));
    }

    /// `experimental.<old>` → top-level `<new>`; returns whether it moved.
    fn move_to_top(
        &mut self,
        item: Node<'t>,
        old: &str,
        new: &str,
        value: Node<'t>,
        needs: Version,
        scope: &mut Scope<'t>,
    ) -> bool {
        if scope.top_names.contains(new) {
            if self.reports(needs) {
                self.both(item, old, new);
            }
            return false;
        }
        if !self.allowed(needs) {
            return false;
        }
        scope.to_config.push(new_prop(self.text(), item, new, value));
        true
    }

    /// `outputFileTracingIgnores: [...]` → `outputFileTracingExcludes['**/*']`.
    fn tracing_ignores(
        &mut self,
        item: Node<'t>,
        value: Node<'t>,
        names: &HashSet<&str>,
        scope: &mut Scope<'t>,
    ) -> bool {
        let text = self.text();
        if names.contains("outputFileTracingExcludes") {
            if self.reports(V15) {
                self.note(item, "`experimental.outputFileTracingIgnores` was not moved: `experimental.outputFileTracingExcludes` is set too; add these paths to its `'**/*'` entry by hand (Next 15 ignores `outputFileTracingIgnores`)".to_string());
            }
            return false;
        }
        let readable = match scope.excludes {
            Target::Absent => true,
            Target::Other => false,
            Target::Object(excludes) => match object_items(excludes)
                .into_iter()
                .find(|i| pair_key(text, *i) == Some("**/*"))
            {
                None => true,
                Some(entry) => entry.child_by_field_name("value").is_some_and(|v| v.kind() == "array"),
            },
        };
        if !readable {
            if self.reports(V15) {
                self.note(item, "`experimental.outputFileTracingIgnores` was not moved: `outputFileTracingExcludes` is set to something this tool cannot read; add these paths to its `'**/*'` entry by hand (Next 15 ignores `outputFileTracingIgnores`)".to_string());
            }
            return false;
        }
        if !self.allowed(V15) {
            return false;
        }
        scope.ignores.push(value);
        true
    }

    /// `experimental.turbo` → `turbopack` (+ `experimental.turbopack*`); returns whether the
    /// `turbo` property goes.
    fn turbo(
        &mut self,
        item: Node<'t>,
        value: Node<'t>,
        experimental_names: &HashSet<&str>,
        append: &mut Vec<NewProp>,
        scope: &mut Scope<'t>,
    ) -> bool {
        let text = self.text();
        if value.kind() != "object" {
            if self.reports(V15_3) {
                self.note(item, format!("`experimental.turbo` is not an object literal this tool can read (`{}`); move it to `turbopack` by hand", snippet(text, value)));
            }
            return false;
        }
        let items = object_items(value);
        let names: Vec<Option<&str>> = items.iter().map(|i| pair_key(text, *i)).collect();
        if items.iter().any(|i| i.kind() != "pair") || names.contains(&None) {
            if self.reports(V15_3) {
                self.note(item, "`experimental.turbo` has a spread or computed key this tool cannot move; move it to `turbopack` by hand".to_string());
            }
            return false;
        }
        if names.contains(&Some("loaders")) && names.contains(&Some("rules")) {
            if self.reports(V15_3) {
                self.note(item, "`experimental.turbo` has both `loaders` and `rules`; Next uses `rules` only (nothing was changed): merge them into `rules` (keys as globs, `*.mdx`) and move `turbo` to `turbopack`".to_string());
            }
            return false;
        }
        for (name, new) in TURBO_TO_EXPERIMENTAL {
            if names.contains(&Some(name)) && experimental_names.contains(new) {
                if self.reports(V15_3) {
                    self.note(item, format!("`experimental.turbo.{name}` and `experimental.{new}` are both set; Next uses `{new}` (nothing was changed): remove one, then move `turbo` to `turbopack`"));
                }
                return false;
            }
        }
        if matches!(scope.turbopack, Target::Other) {
            if self.reports(V15_3) {
                self.note(item, "`experimental.turbo` was not merged into `turbopack`, which this tool cannot read; merge it by hand".to_string());
            }
            return false;
        }
        // loaders: { '.mdx': [...] } → rules: { '*.mdx': [...] }, as Next converts them.
        let mut inner: Vec<Edit> = Vec::new();
        let mut rules_edits: Vec<Edit> = Vec::new();
        if let Some(index) = names.iter().position(|n| *n == Some("loaders")) {
            let loaders = items[index];
            let Some(object) = loaders.child_by_field_name("value").filter(|v| v.kind() == "object") else {
                if self.reports(V15_3) {
                    self.note(loaders, "`experimental.turbo.loaders` is not an object literal this tool can read; rename it to `rules` with glob keys (`*.mdx`) by hand".to_string());
                }
                return false;
            };
            for entry in object_items(object) {
                match entry.child_by_field_name("key").filter(|k| k.kind() == "string") {
                    Some(key) if entry.kind() == "pair" => rules_edits.push(Edit::insert(key.start_byte() + 1, "*")),
                    _ => {
                        if self.reports(V15_3) {
                            self.note(entry, "a `turbo.loaders` entry this tool cannot rename to a glob; move `experimental.turbo` to `turbopack` by hand".to_string());
                        }
                        return false;
                    }
                }
            }
            if let Some(key) = loaders.child_by_field_name("key") {
                rules_edits.push(Edit::replace(key.byte_range(), "rules"));
            }
        }
        if !self.allowed(V15_3) {
            return false;
        }
        inner.extend(rules_edits.iter().cloned());
        let mut to_experimental = Vec::new();
        let mut kept = Vec::new();
        for (index, turbo_item) in items.iter().enumerate() {
            let name = names[index].unwrap_or_default();
            let Some(turbo_value) = turbo_item.child_by_field_name("value") else {
                continue;
            };
            if let Some((_, new)) = TURBO_TO_EXPERIMENTAL.iter().find(|(old, _)| *old == name) {
                append.push(new_prop(text, *turbo_item, new, turbo_value));
                to_experimental.push(index);
            } else {
                kept.push((index, name, *turbo_item, turbo_value));
            }
        }
        match scope.turbopack {
            Target::Object(turbopack) => {
                let existing: HashSet<&str> = object_items(turbopack)
                    .iter()
                    .filter_map(|i| pair_key(text, *i))
                    .collect();
                for (_, name, turbo_item, turbo_value) in kept {
                    let new_name = if name == "loaders" { "rules" } else { name };
                    if existing.contains(new_name) {
                        self.note(turbo_item, format!("`experimental.turbo.{name}` was dropped: `turbopack.{new_name}` is set too and wins, as in Next"));
                        continue;
                    }
                    let mut prop = new_prop(text, turbo_item, new_name, turbo_value);
                    prop.value = shifted(text, turbo_value, &rules_edits);
                    scope.to_turbopack.push(prop);
                }
            }
            _ if kept.is_empty() => {}
            _ => {
                if !to_experimental.is_empty() {
                    inner.extend(edit_object(text, value, &items, &to_experimental, &[], &self.style));
                }
                let mut prop = new_prop(text, item, "turbopack", value);
                prop.value = shifted(text, value, &inner);
                scope.to_config.push(prop);
            }
        }
        true
    }

    /// `config.experimental.X = v` and `config.X = v` after the declaration.
    fn assignment(&mut self, assignment: &Assignment<'t>, scope: &Scope<'t>) {
        let text = self.text();
        let statement = assignment.statement;
        let right = assignment.right;
        let delete = |rule: &mut Self| {
            rule.edits
                .push(Edit::delete(removal_range(text, statement, statement.end_byte())));
        };
        match assignment.path.as_slice() {
            [first, key] if first == "experimental" => {
                let Some((_, rewrite, needs)) = EXPERIMENTAL.iter().find(|(k, _, _)| k == key) else {
                    return;
                };
                match *rewrite {
                    Rewrite::Top(new) => {
                        if scope.top_names.contains(new) {
                            self.both(statement, key, new);
                            return;
                        }
                        let Some(experimental) = assignment
                            .left
                            .child_by_field_name("object")
                            .and_then(|o| o.child_by_field_name("property"))
                        else {
                            return;
                        };
                        if self.allowed(*needs) {
                            self.edits.push(Edit::replace(
                                experimental.start_byte()..assignment.left.end_byte(),
                                new,
                            ));
                        }
                    }
                    Rewrite::Remove => {
                        if self.allowed(*needs) {
                            delete(self);
                        }
                    }
                    Rewrite::RemoveBool(why) => match right.kind() {
                        "true" if self.allowed(*needs) => delete(self),
                        "false" if self.allowed(*needs) => {
                            delete(self);
                            self.note(
                                statement,
                                format!("`experimental.{key} = false` was removed: the switch {why}"),
                            );
                        }
                        _ => {}
                    },
                    Rewrite::Report(message) => {
                        if self.reports(*needs) {
                            self.note(statement, message.to_string());
                        }
                    }
                    Rewrite::ReportUnlessTrue(message) => {
                        if right.kind() != "true" && self.reports(*needs) {
                            self.note(statement, message.to_string());
                        }
                    }
                    _ => {
                        if self.reports(*needs) {
                            self.note(statement, format!("`experimental.{key}` is set by an assignment this tool does not rewrite; move it as the next-config table says by hand"));
                        }
                    }
                }
            }
            [key] => {
                let Some((_, rewrite, needs)) = TOP_LEVEL.iter().find(|(k, _, _)| k == key) else {
                    return;
                };
                match *rewrite {
                    TopRewrite::Remove if self.allowed(*needs) => delete(self),
                    TopRewrite::RemoveBool(why) | TopRewrite::RemoveFalse(why) => {
                        let removes_true = matches!(rewrite, TopRewrite::RemoveBool(_));
                        match right.kind() {
                            "true" if removes_true && self.allowed(*needs) => delete(self),
                            "false" if self.allowed(*needs) => {
                                delete(self);
                                self.note(statement, format!("`{key} = false` was removed: the switch {why}"));
                            }
                            _ => {}
                        }
                    }
                    TopRewrite::Report(message) if self.reports(*needs) => {
                        self.note(statement, report_message(key, message));
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    /// Writes what the experimental objects sent to `compiler`, `turbopack` and
    /// `outputFileTracingExcludes`.
    fn flush(&mut self, scope: &mut Scope<'t>) {
        let text = self.text();
        let nl = self.style.newline;
        if !scope.to_compiler.is_empty() {
            let props = std::mem::take(&mut scope.to_compiler);
            match scope.compiler {
                Target::Object(compiler) => {
                    let append: Vec<NewProp> = props
                        .into_iter()
                        .map(|(key, value, leading)| NewProp {
                            key,
                            value,
                            from_indent: String::new(),
                            leading,
                            trailing: None,
                        })
                        .collect();
                    let items = object_items(compiler);
                    self.edits
                        .extend(edit_object(text, compiler, &items, &[], &append, &self.style));
                }
                _ => {
                    let value = object_text(&props, scope.multiline, &self.style);
                    scope.to_config.push(NewProp {
                        key: "compiler".into(),
                        value,
                        from_indent: String::new(),
                        leading: Vec::new(),
                        trailing: None,
                    });
                }
            }
        }
        if !scope.to_turbopack.is_empty()
            && let Target::Object(turbopack) = scope.turbopack
        {
            let items = object_items(turbopack);
            let append = std::mem::take(&mut scope.to_turbopack);
            self.edits
                .extend(edit_object(text, turbopack, &items, &[], &append, &self.style));
        }
        if scope.ignores.is_empty() {
            return;
        }
        let q = self.style.quote;
        let glob = format!("{q}**/*{q}");
        let ignores = std::mem::take(&mut scope.ignores);
        let elements: Vec<String> = ignores.iter().map(|v| array_elements(text, *v)).collect();
        let joined = elements.join(", ");
        let as_array = format!("[{joined}]");
        match scope.excludes {
            Target::Object(excludes) => {
                let items = object_items(excludes);
                match items.iter().find(|i| pair_key(text, **i) == Some("**/*")) {
                    Some(entry) => {
                        let Some(array) = entry.child_by_field_name("value") else {
                            return;
                        };
                        let existing = array_elements(text, array);
                        let close = array.end_byte() - 1;
                        let at = text[..close].trim_end().trim_end_matches(',').len();
                        let added = if existing.is_empty() {
                            joined
                        } else {
                            format!(", {joined}")
                        };
                        self.edits.push(Edit::insert(at.max(array.start_byte() + 1), added));
                    }
                    None => {
                        let prop = NewProp {
                            key: glob,
                            value: as_array,
                            from_indent: String::new(),
                            leading: Vec::new(),
                            trailing: None,
                        };
                        self.edits
                            .extend(edit_object(text, excludes, &items, &[], &[prop], &self.style));
                    }
                }
            }
            _ => {
                let value = if scope.multiline {
                    format!("{{{nl}{}{glob}: {as_array},{nl}}}", self.style.indent)
                } else {
                    format!("{{ {glob}: {as_array} }}")
                };
                scope.to_config.push(NewProp {
                    key: "outputFileTracingExcludes".into(),
                    value,
                    from_indent: String::new(),
                    leading: Vec::new(),
                    trailing: None,
                });
            }
        }
    }
}

/// A report message; one that does not start with the key's name gets it in front.
fn report_message(key: &str, message: &str) -> String {
    if message.starts_with('`') {
        message.to_string()
    } else {
        format!("`{key}` {message}")
    }
}

/// The text of `node` with `edits` (offsets into the whole text, all inside `node`) applied.
fn shifted(text: &str, node: Node, edits: &[Edit]) -> String {
    let start = node.start_byte();
    let local: Vec<Edit> = edits
        .iter()
        .filter(|e| e.start >= start && e.end <= node.end_byte())
        .map(|e| Edit::replace(e.start - start..e.end - start, e.text.clone()))
        .collect();
    let original = &text[node.byte_range()];
    apply_edits(original, &local).unwrap_or_else(|_| original.to_string())
}

/// The elements of an array literal as written (`'a', 'b'`), or `...value` for anything else.
fn array_elements(text: &str, value: Node) -> String {
    if value.kind() != "array" {
        return format!("...{}", &text[value.byte_range()]);
    }
    let inner = &text[value.start_byte() + 1..value.end_byte() - 1];
    inner.trim().trim_end_matches(',').trim_end().to_string()
}

/// A new object literal of `props` (key, value indented relative to its property, leading
/// comments), on lines of its own when the config is written on several lines. Lines after the
/// first carry no indentation of the object itself: the caller's re-indent adds it.
fn object_text(props: &[(String, String, Vec<String>)], multiline: bool, style: &Style) -> String {
    if !multiline {
        let parts: Vec<String> = props.iter().map(|(k, v, _)| format!("{k}: {v}")).collect();
        return format!("{{ {} }}", parts.join(", "));
    }
    let nl = style.newline;
    let indent = &style.indent;
    let mut out = String::from("{");
    for (key, value, leading) in props {
        for comment in leading {
            out.push_str(&format!("{nl}{indent}{comment}"));
        }
        out.push_str(&format!("{nl}{indent}{key}: {},", reindent(value, "", indent)));
    }
    out.push_str(nl);
    out.push('}');
    out
}

/// Whether the app of this config has an `app/` folder (beside it or in `src/`): `i18n` then
/// matters only for its pages. Read from the disk because a config rule sees one file.
fn has_app_folder(config: &Path) -> bool {
    let folder = config.parent().unwrap_or(Path::new("."));
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    folder.join("app").is_dir() || folder.join("src/app").is_dir()
}
