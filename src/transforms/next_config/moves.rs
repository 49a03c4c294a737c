//! Moves of keys between `experimental` and the top level, and `experimental.turbo` to `turbopack`.

use super::*;

impl<'t> Rule<'_, 't> {
    pub(super) fn both(&mut self, item: Node, old: &str, new: &str) {
        self.note(item, format!("`experimental.{old}` and `{new}` are both set; Next uses the `experimental` value (nothing was changed): keep the one you mean as `{new}` and remove the other"));
    }

    /// `experimental.<old>` → top-level `<new>`; returns whether it moved.
    pub(super) fn move_to_top(
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
    pub(super) fn tracing_ignores(
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
    pub(super) fn turbo(
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
}
