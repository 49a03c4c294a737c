//! What the language server makes of one buffer: the run's own per-file step
//! (`apply::fix_to_fixpoint`, and the folder step for folder rules) on the buffer's text, turned
//! into problems (a finding, or a change a rule would make) and the fixes that go with them.
//! Nothing here reads the disk but the sibling modules a folder rule asks for.

use crate::apply::{FileFix, fix_to_fixpoint};
use crate::engine::{BufferChangeFile, run_on_buffer};
use crate::fix::{Edit, Note};
use crate::parse::{Lang, Parsers};
use crate::results::edits_between;
use crate::target::Target;
use crate::transforms::{self, FileContext, FolderRule, Options, RedirectStyle, Transform};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The settings of a run, from the client's `initializationOptions`.
pub struct Config {
    pub target: Target,
    pub options: Options,
    pub file_transforms: Vec<&'static dyn Transform>,
    pub folder_transforms: Vec<&'static dyn FolderRule>,
}

impl Config {
    /// `{ "to": "14" | "15", "redirectStyle": "hoist" | "rethrow", "transforms": [NAME...],
    /// "skip": [NAME...] }`, every key optional (the CLI's defaults). Returns what was not
    /// understood too, for the client's log.
    pub fn from_options(options: Option<&serde_json::Value>) -> (Config, Vec<String>) {
        let mut problems = Vec::new();
        let get = |key: &str| options.and_then(|o| o.get(key));
        let names = |key: &str, problems: &mut Vec<String>| -> Vec<String> {
            let Some(value) = get(key) else {
                return Vec::new();
            };
            let names: Vec<String> = value
                .as_array()
                .map(|a| a.iter().filter_map(|n| n.as_str().map(str::to_string)).collect())
                .unwrap_or_default();
            let known: Vec<&str> = transforms::all_meta().iter().map(|m| m.name).collect();
            for name in names.iter().filter(|n| !known.contains(&n.as_str())) {
                problems.push(format!("unknown rule `{name}` in `{key}`; known: {}", known.join(", ")));
            }
            names
        };
        let target = match get("to").map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string)) {
            Some(to) if to == "14" => Target::NEXT_14,
            None => Target::NEXT_15,
            Some(to) if to == "15" => Target::NEXT_15,
            Some(to) => {
                problems.push(format!("`to` must be \"14\" or \"15\", not {to}; using 15"));
                Target::NEXT_15
            }
        };
        let redirect_style = match get("redirectStyle").and_then(|v| v.as_str()) {
            Some("hoist") => Some(RedirectStyle::Hoist),
            Some("rethrow") => Some(RedirectStyle::Rethrow),
            None => None,
            Some(other) => {
                problems.push(format!(
                    "`redirectStyle` must be \"hoist\" or \"rethrow\", not {other:?}"
                ));
                None
            }
        };
        let (only, skip) = (names("transforms", &mut problems), names("skip", &mut problems));
        // As on the command line: without names, the rules that are on by default.
        let selection = transforms::Selection {
            only: &only,
            skip: &skip,
        };
        let config = Config {
            target,
            // NextAuth's helpers are found by resolving imports across the project: a run does that, the
            // per-buffer analysis does not (it reads one file).
            options: Options {
                redirect_style,
                auth: None,
            },
            file_transforms: selection.file_transforms(),
            folder_transforms: selection.folder_transforms(),
        };
        (config, problems)
    }
}

/// One diagnostic, in bytes of the buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub rule: &'static str,
    pub range: Range<usize>,
    pub message: String,
    /// The fix that makes this change (an index into [`Analysis::fixes`]); none for a finding.
    pub fix: Option<usize>,
}

/// One rule's change to the buffer, and to the files beside it (a folder rule's).
#[derive(Debug)]
pub struct RuleFix {
    pub rule: &'static str,
    pub edits: Vec<Edit>,
    pub other_files: Vec<BufferChangeFile>,
    /// The rules whose changes this fix makes too, because this rule's change needs them.
    pub with: Vec<&'static str>,
}

#[derive(Debug, Default)]
pub struct Analysis {
    pub problems: Vec<Problem>,
    pub fixes: Vec<RuleFix>,
    /// Every single-file rule's change at once (`source.fixAll.nsa-migrate`).
    pub fix_all: Vec<Edit>,
}

/// Analyses `text`, the buffer of `path`. `open` holds the other buffers (a folder rule's sibling
/// modules are read from there first).
pub fn analyze(
    path: &Path,
    text: &str,
    config: &Config,
    open: &[(PathBuf, String)],
    parsers: &mut Parsers,
) -> Analysis {
    let mut analysis = Analysis::default();
    let Some(lang) = Lang::from_path(path) else {
        return analysis;
    };
    // Build output, which the CLI skips too: parsing a 3 MB bundle held the server for seconds.
    if crate::source::minified(text.as_bytes()).is_some() {
        return analysis;
    }
    let context = FileContext {
        path,
        target: config.target,
        options: &config.options,
    };
    // The prefilter's rule: a rule is run only on a buffer that holds its words.
    let wanted: Vec<&dyn Transform> = config
        .file_transforms
        .iter()
        .copied()
        .filter(|t| t.applies_to(path) && t.meta().words_in(text) && t.wants_text(text.as_bytes()))
        .collect();
    if !wanted.is_empty() {
        let all = fix_to_fixpoint(text, lang, parsers, &wanted, &context);
        add_notes(&mut analysis, text, &all.notes);
        if let Some(reason) = all.skipped.as_deref().filter(|r| !r.contains("syntax error")) {
            // Syntax errors are the editor's own business while someone types; the rest say why
            // nothing is offered.
            analysis.problems.push(Problem {
                rule: "skipped",
                range: word_at(text, all.skipped_at),
                message: reason.to_string(),
                fix: None,
            });
        }
        if let Some(output) = &all.output {
            analysis.fix_all = edits_between(text, output);
            for &rule in &all.applied {
                let alone: FileFix = if all.applied.len() == 1 {
                    FileFix {
                        output: all.output.clone(),
                        ..FileFix::default()
                    }
                } else {
                    let Some(transform) = wanted.iter().find(|t| t.meta().name == rule) else {
                        continue;
                    };
                    fix_to_fixpoint(text, lang, parsers, &[*transform], &context)
                };
                match alone.output {
                    Some(alone) => add_fix(&mut analysis, text, rule, edits_between(text, &alone), Vec::new()),
                    // It changes the buffer only after another rule's change (async-server-exports
                    // once directive-placement moved the directive): the one rule it needs, if one
                    // is enough, else all the others. Where it lands is found in their output and
                    // mapped back; its fix makes their change and its own.
                    None => {
                        let others: Vec<&'static str> = all.applied.iter().copied().filter(|r| *r != rule).collect();
                        let with_rules = |names: &[&str]| -> Vec<&dyn Transform> {
                            wanted
                                .iter()
                                .copied()
                                .filter(|t| names.contains(&t.meta().name))
                                .collect()
                        };
                        let needed = others.iter().copied().find_map(|other| {
                            let pair = fix_to_fixpoint(text, lang, parsers, &with_rules(&[other, rule]), &context);
                            let output = pair.output.filter(|_| pair.applied.contains(&rule))?;
                            Some((vec![other], output))
                        });
                        let (needs, output) = needed.unwrap_or_else(|| (others.clone(), output.clone()));
                        let before = fix_to_fixpoint(text, lang, parsers, &with_rules(&needs), &context);
                        let base = before.output.as_deref().unwrap_or(text);
                        let Some(first) = edits_between(base, &output).into_iter().next() else {
                            continue;
                        };
                        let at = before.map.to_original(first.start)..before.map.to_original(first.end);
                        let edits = edits_between(text, &output);
                        add_dependent_fix(&mut analysis, text, (rule, at), edits, needs);
                    }
                }
            }
        }
    }
    for transform in &config.folder_transforms {
        if !transform.meta().words_in(text) {
            continue;
        }
        let rule = transform.meta().name;
        let (mut changed, notes) = run_on_buffer(
            *transform,
            (path, text, lang),
            open,
            config.target,
            &config.options,
            parsers,
        );
        add_notes(&mut analysis, text, &notes);
        let Some(own) = changed.iter().position(|f| f.path == path) else {
            continue;
        };
        let own = changed.remove(own);
        add_fix(&mut analysis, text, rule, edits_between(text, &own.new), changed);
    }
    analysis
        .problems
        .sort_by(|a, b| (a.range.start, a.rule).cmp(&(b.range.start, b.rule)));
    analysis
}

fn add_notes(analysis: &mut Analysis, text: &str, notes: &[(&'static str, Note)]) {
    for (rule, note) in notes {
        let problem = Problem {
            rule,
            range: word_at(text, note.offset),
            message: note.message.clone(),
            fix: None,
        };
        if !analysis.problems.contains(&problem) {
            analysis.problems.push(problem);
        }
    }
}

/// A rule's fix, and one problem for it: at the edit that removes the most (the code the rule is
/// about, more telling than an added import), naming how many places it changes.
fn add_fix(analysis: &mut Analysis, text: &str, rule: &'static str, edits: Vec<Edit>, others: Vec<BufferChangeFile>) {
    let Some(main) = edits.iter().rev().max_by_key(|e| e.end - e.start) else {
        return;
    };
    let index = analysis.fixes.len();
    let summary = summary_of(rule);
    let places = match edits.len() {
        1 => String::new(),
        n => format!(", {n} places in this file"),
    };
    let creates = others
        .iter()
        .filter(|f| f.created)
        .filter_map(|f| f.path.file_name())
        .map(|name| format!(", creates {}", name.to_string_lossy()))
        .collect::<String>();
    analysis.problems.push(Problem {
        rule,
        range: changed_range(text, main),
        message: format!("{summary} (nsa-migrate can fix this: {rule}{places}{creates})"),
        fix: Some(index),
    });
    analysis.fixes.push(RuleFix {
        rule,
        edits,
        other_files: others,
        with: Vec::new(),
    });
}

/// A fix for a rule whose change shows only after the change of the rules it `needs`: the
/// problem at `at`, the fix (`edits`) their change and its own.
fn add_dependent_fix(
    analysis: &mut Analysis,
    text: &str,
    (rule, at): (&'static str, Range<usize>),
    edits: Vec<Edit>,
    needs: Vec<&'static str>,
) {
    let index = analysis.fixes.len();
    let summary = summary_of(rule);
    let with = needs.join(", ");
    analysis.problems.push(Problem {
        rule,
        range: changed_range(text, &Edit::replace(at, "")),
        message: format!("{summary} (nsa-migrate can fix this: {rule}, after {with})"),
        fix: Some(index),
    });
    analysis.fixes.push(RuleFix {
        rule,
        edits,
        other_files: Vec::new(),
        with: needs,
    });
}

fn summary_of(rule: &str) -> &'static str {
    transforms::all_meta()
        .into_iter()
        .find(|m| m.name == rule)
        .map_or("", |m| m.summary)
}

/// What a diagnostic underlines for an edit: the bytes it replaces, or for an insertion, the
/// line it goes into (a range of no width is easy to miss).
fn changed_range(text: &str, edit: &Edit) -> Range<usize> {
    if edit.start < edit.end {
        return edit.start..edit.end;
    }
    let start = text[..edit.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[edit.start..].find('\n').map_or(text.len(), |i| edit.start + i);
    if start == end { edit.start..edit.end } else { start..end }
}

/// The word at `offset` (an identifier, or one character), for a finding's underline.
fn word_at(text: &str, offset: usize) -> Range<usize> {
    let start = crate::fix::floor_char_boundary(text, offset.min(text.len()));
    let rest = &text[start..];
    let word: usize = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
        .map(char::len_utf8)
        .sum();
    let width = match (word, rest.chars().next()) {
        (0, Some(c)) if c != '\n' && c != '\r' => c.len_utf8(),
        (width, _) => width,
    };
    start..start + width
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(options: serde_json::Value) -> (Config, Vec<String>) {
        Config::from_options(Some(&options))
    }

    #[test]
    fn reads_the_cli_settings() {
        let (c, problems) = config(serde_json::json!({
            "to": "14", "redirectStyle": "rethrow", "skip": ["use-action-state", "nope"]
        }));
        assert_eq!(c.target, Target::NEXT_14);
        assert_eq!(c.options.redirect_style, Some(RedirectStyle::Rethrow));
        assert!(c.file_transforms.iter().all(|t| t.meta().name != "use-action-state"));
        assert_eq!(c.folder_transforms.len(), 1);
        assert_eq!(problems.len(), 1, "{problems:?}");
        let (c, problems) = config(serde_json::json!({ "transforms": ["hoist-inline-actions"], "to": 16 }));
        assert!(c.file_transforms.is_empty());
        assert_eq!(c.target, Target::NEXT_15);
        assert!(problems[0].contains("`to`"), "{problems:?}");
    }

    #[test]
    fn a_change_in_a_buffer_and_its_fixes() {
        let (config, _) = config(serde_json::json!({}));
        let text = "'use client';\nimport { useFormState } from 'react-dom';\nexport function F() {\n  const [s, a] = useFormState(f, 0);\n  return null;\n}\n";
        let analysis = analyze(Path::new("/x/app/f.tsx"), text, &config, &[], &mut Parsers::new());
        assert_eq!(analysis.fixes.len(), 1);
        assert_eq!(analysis.fixes[0].rule, "use-action-state");
        let fixed = crate::fix::apply_edits(text, &analysis.fixes[0].edits).unwrap();
        assert!(fixed.contains("useActionState(f, 0)"), "{fixed}");
        assert_eq!(crate::fix::apply_edits(text, &analysis.fix_all).unwrap(), fixed);
        assert_eq!(analysis.problems.len(), 1, "one problem per rule's change");
        let problem = &analysis.problems[0];
        assert_eq!((problem.rule, problem.fix), ("use-action-state", Some(0)));
        assert_eq!(
            &text[problem.range.clone()],
            "FormState } from 'react-dom",
            "where the most is removed"
        );
        assert!(
            problem
                .message
                .ends_with("(nsa-migrate can fix this: use-action-state, 2 places in this file)")
        );
    }

    #[test]
    fn underlines() {
        assert_eq!(word_at("a foo(b)", 2), 2..5);
        assert_eq!(word_at("a (b)", 2), 2..3);
        assert_eq!(word_at("a\n", 1), 1..1);
        assert_eq!(changed_range("ab\ncd\n", &Edit::insert(4, "x")), 3..5);
    }
}
