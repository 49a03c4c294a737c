//! What every fuzz target checks, on every input: shared by the targets in `fuzz/fuzz_targets`
//! and the smoke test `tests/fuzz_smoke.rs` (which includes this folder by path).
//!
//! An input is one flag byte, then either raw text or the choices of the grammar
//! ([`grammar::program`]). Flags: bit 0 grammar, bit 1 CRLF line endings, bit 2 `--to 14`,
//! bits 3..=5 the file's path (and so its grammar and whether it is a next.config file).
//!
//! Properties, each a panic (a crash for libFuzzer) when broken:
//! - no panic anywhere in the transforms or the engine's apply loop;
//! - a transform's edits never overlap and stay inside the text, on characters' boundaries
//!   (the fixpoint gives up on such edits, which fails the next property);
//! - the fixpoint never gives up on a file that parsed (no conflicting edits, no output with
//!   syntax errors, no transforms that fail to settle) — the engine would hide each of these as
//!   a `skipped` finding, so the fuzzer checks for them directly;
//! - every output parses, and keeps uniform line endings uniform;
//! - fixing the output again changes nothing (fix twice == fix once);
//! - a file the transforms do not match comes out byte for byte the same, and a transform whose
//!   prefilter words are missing from a file never edits it.

#![allow(dead_code)]

pub mod grammar;

use nsa_migrate::apply::{FolderEntry, FolderRun, fix_folder, fix_to_fixpoint, parses_cleanly};
use nsa_migrate::parse::{Lang, Parsers};
use nsa_migrate::prefilter::Prefilter;
use nsa_migrate::target::Target;
use nsa_migrate::transforms::{FileContext, FolderRule, Options, Transform, file_transforms, folder_transforms};
use std::path::{Path, PathBuf};

const PATHS: &[&str] = &[
    "app/form.tsx",
    "app/form.jsx",
    "app/actions.ts",
    "app/page.js",
    "next.config.js",
    "next.config.mjs",
    "next.config.ts",
    "lib/util.mts",
];
const CONFIG_PATHS: &[&str] = &["next.config.js", "next.config.mjs", "next.config.ts"];

/// The transforms a target exercises: one by name, or every one (`None`, the whole pipeline).
fn selected(name: Option<&str>) -> (Vec<&'static dyn Transform>, Vec<&'static dyn FolderRule>) {
    let wanted = |n: &str| name.is_none_or(|w| w == n);
    let files: Vec<_> = file_transforms()
        .iter()
        .copied()
        .filter(|t| wanted(t.meta().name))
        .collect();
    let folders: Vec<_> = folder_transforms()
        .iter()
        .copied()
        .filter(|t| wanted(t.meta().name))
        .collect();
    assert!(
        !files.is_empty() || !folders.is_empty(),
        "no transform named {name:?} is registered"
    );
    (files, folders)
}

/// Decodes one fuzz input into a path and a text.
pub fn decode(name: Option<&str>, data: &[u8]) -> Option<(PathBuf, String, Target)> {
    let (&flags, rest) = data.split_first()?;
    let config_only = name == Some("server-actions-flag");
    let path_index = (flags >> 3) as usize & 7;
    let path = if config_only {
        CONFIG_PATHS[path_index % CONFIG_PATHS.len()]
    } else {
        PATHS[path_index]
    };
    let path = PathBuf::from(path);
    let typed = nsa_migrate::parse::is_typescript(&path);
    let mut text = if flags & 1 == 1 {
        grammar::program(&mut grammar::Choices::new(rest), typed)
    } else {
        String::from_utf8_lossy(rest).into_owned()
    };
    if flags & 2 == 2 {
        text = text.replace('\n', "\r\n");
    }
    let target = if flags & 4 == 4 {
        Target::NEXT_14
    } else {
        Target::NEXT_15
    };
    Some((path, text, target))
}

/// Checks every property on one input.
pub fn check(name: Option<&str>, data: &[u8]) {
    let Some((path, text, target)) = decode(name, data) else {
        return;
    };
    check_text(name, &path, &text, target);
}

pub fn check_text(name: Option<&str>, path: &Path, text: &str, target: Target) {
    let (transforms, folder_transforms) = selected(name);
    let Some(lang) = Lang::from_path(path) else {
        return;
    };
    PARSERS.with_borrow_mut(|parsers| check_parsed(path, text, target, lang, transforms, folder_transforms, parsers));
}

thread_local! {
    /// One set of parsers per thread, kept across inputs as the engine keeps them across files.
    static PARSERS: std::cell::RefCell<Parsers> = std::cell::RefCell::new(Parsers::new());
}

fn check_parsed(
    path: &Path,
    text: &str,
    target: Target,
    lang: Lang,
    transforms: Vec<&'static dyn Transform>,
    folder_transforms: Vec<&'static dyn FolderRule>,
    parsers: &mut Parsers,
) {
    let Some(tree) = parsers.parse(lang, text, None) else {
        return;
    };
    // The engine never hands a file with syntax errors to a transform, nor one that imports a
    // name twice (both are skipped with a finding).
    if tree.root_node().has_error() || nsa_migrate::imports::duplicate_import_binding(&tree, text).is_some() {
        return;
    }
    let options = Options::default();
    let context = FileContext {
        path,
        target,
        options: &options,
    };
    let transforms: Vec<&dyn Transform> = transforms.into_iter().filter(|t| t.applies_to(path)).collect();
    let groups: Vec<Option<&[&[&str]]>> = transforms.iter().map(|t| Some(t.meta().words)).collect();
    let prefilter = Prefilter::new(&groups);
    // As the engine does: only the transforms whose words the text holds run on it. Their edits
    // are checked by the fixpoint (overlapping or out-of-bounds edits make it give up, which
    // fails below); the others must have nothing to do.
    let wanted = |text: &str| -> Vec<&dyn Transform> {
        transforms
            .iter()
            .zip(prefilter.candidates(text.as_bytes()))
            .filter(|(_, wanted)| *wanted)
            .map(|(t, _)| *t)
            .collect()
    };
    let candidates = wanted(text);
    for transform in transforms
        .iter()
        .filter(|t| !candidates.iter().any(|c| c.meta().name == t.meta().name))
    {
        let outcome = transform.run(&context.with(text, &tree, lang));
        assert!(
            outcome.fixes.is_empty(),
            "{} edited a file without its prefilter words:\n{text}",
            transform.meta().name
        );
    }

    let fix = fix_to_fixpoint(text, lang, parsers, &candidates, &context);
    if let Some(reason) = &fix.skipped {
        panic!("fixpoint gave up: {reason}\n--- input\n{text}");
    }
    if fix.applied.is_empty() {
        assert!(
            fix.output.is_none(),
            "no transform applied, yet the text changed:\n{text}"
        );
    }
    let once = fix.output.clone().unwrap_or_else(|| text.to_string());
    // The second fixpoint below parses `once` afresh: a syntax error there fails it.
    check_line_endings(text, &once);
    let again = fix_to_fixpoint(&once, lang, parsers, &wanted(&once), &context);
    assert!(
        again.skipped.is_none() && again.output.is_none(),
        "fixing twice differs from fixing once ({:?}):\n--- input\n{text}\n--- once\n{once}\n--- twice\n{}",
        again.skipped,
        again.output.unwrap_or_default()
    );

    for folder_transform in folder_transforms {
        check_folder(folder_transform, path, lang, &once, target, &options, parsers);
    }
}

fn check_output(path: &Path, lang: Lang, input: &str, output: &str, parsers: &mut Parsers) {
    assert!(
        parses_cleanly(parsers, lang, output),
        "{}: output does not parse:\n--- input\n{input}\n--- output\n{output}",
        path.display()
    );
    check_line_endings(input, output);
}

/// Same nodes, same kinds, same byte ranges, in the same order.
fn same_tree(a: &tree_sitter::Tree, b: &tree_sitter::Tree) -> bool {
    let (mut x, mut y) = (a.walk(), b.walk());
    loop {
        let (n, m) = (x.node(), y.node());
        if n.kind_id() != m.kind_id() || n.byte_range() != m.byte_range() {
            return false;
        }
        if x.goto_first_child() != y.goto_first_child() {
            return false;
        }
        if x.node() != n {
            continue;
        }
        loop {
            let (next_x, next_y) = (x.goto_next_sibling(), y.goto_next_sibling());
            if next_x != next_y {
                return false;
            }
            if next_x {
                break;
            }
            if !x.goto_parent() {
                return true;
            }
            y.goto_parent();
        }
    }
}

fn check_line_endings(input: &str, output: &str) {
    let lone_lf = |t: &str| {
        t.match_indices('\n')
            .any(|(i, _)| i == 0 || t.as_bytes()[i - 1] != b'\r')
    };
    if !input.contains('\r') {
        assert!(!output.contains('\r'), "a CR appeared in an LF file:\n{output}");
    } else if input.contains('\n') && !lone_lf(input) {
        assert!(!lone_lf(output), "a lone LF appeared in a CRLF file:\n{output:?}");
    }
}

/// A folder rule on a folder holding just this file, run by the folder applier: every file it
/// writes parses, the tree it keeps is its text's tree, and a second run on its own output
/// changes nothing.
fn check_folder(
    rule: &dyn FolderRule,
    path: &Path,
    lang: Lang,
    text: &str,
    target: nsa_migrate::target::Target,
    options: &Options,
    parsers: &mut Parsers,
) {
    let folder = path.parent().unwrap_or(Path::new(""));
    let name = rule.meta().name;
    let display = |p: &Path| p.display().to_string();
    let run = FolderRun {
        folder,
        target,
        options,
        display: &display,
    };
    let given = FolderEntry::new(
        path.to_path_buf(),
        lang,
        text.to_string(),
        None,
        true,
        Default::default(),
    );
    let mut entries = vec![given];
    fix_folder(rule, &run, &mut entries, parsers);
    for entry in entries.iter().filter(|e| e.changed) {
        // The engine trusts the tree kept with a text: it must be that text's tree.
        if let Some(tree) = &entry.tree {
            let fresh = parsers.parse(entry.lang, &entry.text, None).expect("a parse");
            assert!(
                same_tree(tree, &fresh),
                "{name}: the tree kept with {} is not its text's tree:\n--- input\n{text}",
                entry.path.display()
            );
        }
        // A created file follows the line endings of the file it came from.
        let old = if entry.created { text } else { entry.original.as_str() };
        check_output(&entry.path, entry.lang, old, &entry.text, parsers);
    }
    let mut again: Vec<FolderEntry> = entries
        .iter()
        .map(|e| {
            FolderEntry::new(
                e.path.clone(),
                e.lang,
                e.text.clone(),
                None,
                e.candidate,
                Default::default(),
            )
        })
        .collect();
    fix_folder(rule, &run, &mut again, parsers);
    if let Some(entry) = again.iter().find(|e| e.changed || e.created) {
        panic!(
            "{name}: a second run changed {}:\n--- input\n{text}",
            entry.path.display()
        );
    }
}
