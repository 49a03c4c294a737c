//! Micro-benchmarks: each transform on a typical file of the benchmark corpus (benches/data/),
//! parse and fixpoint included, and the parse alone for scale. A slow transform shows up here on
//! its own, before it shows up in scripts/bench.sh.
//!
//! `cargo bench --bench transforms`

use nsa_migrate::apply::{FolderEntry, FolderRun, fix_folder, fix_to_fixpoint};
use nsa_migrate::parse::{Lang, Parsers};
use nsa_migrate::target::Target;
use nsa_migrate::transforms::{FileContext, Options, Transform, file_transforms, folder_transforms};
use std::path::Path;

fn main() {
    divan::main();
}

const USE_ACTION_STATE: &str = include_str!("data/use-action-state.tsx");
const REDIRECT_OUTSIDE_TRY: &str = include_str!("data/redirect-outside-try.ts");
const HOIST_INLINE_ACTIONS: &str = include_str!("data/hoist-inline-actions.tsx");
const NEXT_CONFIG: &str = include_str!("data/next.config.js");

fn transform(name: &str) -> &'static dyn Transform {
    *file_transforms()
        .iter()
        .find(|t| t.meta().name == name)
        .expect("a registered transform")
}

/// Runs one file transform to its fixpoint on `text`, as the engine does.
fn fix(name: &str, path: &str, text: &str, parsers: &mut Parsers) -> bool {
    let path = Path::new(path);
    let lang = Lang::from_path(path).expect("a source file");
    let options = Options::default();
    let context = FileContext {
        path,
        target: Target::NEXT_15,
        options: &options,
    };
    let fix = fix_to_fixpoint(text, lang, parsers, &[transform(name)], &context);
    assert!(fix.output.is_some(), "{name} changes its sample");
    fix.output.is_some()
}

#[divan::bench]
fn parse_only(bencher: divan::Bencher) {
    let mut parsers = Parsers::new();
    bencher.bench_local(|| parsers.parse(Lang::Tsx, divan::black_box(USE_ACTION_STATE), None));
}

#[divan::bench]
fn server_actions_flag(bencher: divan::Bencher) {
    let mut parsers = Parsers::new();
    bencher.bench_local(|| {
        fix(
            "server-actions-flag",
            "next.config.js",
            divan::black_box(NEXT_CONFIG),
            &mut parsers,
        )
    });
}

#[divan::bench]
fn use_action_state(bencher: divan::Bencher) {
    let mut parsers = Parsers::new();
    bencher.bench_local(|| {
        fix(
            "use-action-state",
            "form.tsx",
            divan::black_box(USE_ACTION_STATE),
            &mut parsers,
        )
    });
}

#[divan::bench]
fn redirect_outside_try(bencher: divan::Bencher) {
    let mut parsers = Parsers::new();
    bencher.bench_local(|| {
        fix(
            "redirect-outside-try",
            "actions.ts",
            divan::black_box(REDIRECT_OUTSIDE_TRY),
            &mut parsers,
        )
    });
}

#[divan::bench]
fn hoist_inline_actions(bencher: divan::Bencher) {
    let mut parsers = Parsers::new();
    let hoist = folder_transforms()[0];
    let options = Options::default();
    let display = |p: &Path| p.display().to_string();
    let run = FolderRun {
        folder: Path::new("app"),
        target: Target::NEXT_15,
        options: &options,
        display: &display,
    };
    bencher.bench_local(|| {
        let path = Path::new("app/row.tsx");
        let text = divan::black_box(HOIST_INLINE_ACTIONS);
        let tree = parsers.parse(Lang::Tsx, text, None);
        let client = FolderEntry::new(path.into(), Lang::Tsx, text.into(), tree, true, Default::default());
        let mut entries = vec![client];
        let fixed = fix_folder(hoist, &run, &mut entries, &mut parsers);
        assert!(
            entries.iter().any(|e| e.created),
            "hoist-inline-actions changes its sample"
        );
        (fixed, entries)
    });
}
