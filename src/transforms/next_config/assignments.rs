//! Keys set by assignment after the config's declaration (`config.experimental.X = v`), and the
//! edits they collect, flushed once per config.

use super::*;

impl<'t> Rule<'_, 't> {
    /// `config.experimental.X = v` and `config.X = v` after the declaration.
    pub(super) fn assignment(&mut self, assignment: &Assignment<'t>, scope: &Scope<'t>) {
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
    pub(super) fn flush(&mut self, scope: &mut Scope<'t>) {
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
