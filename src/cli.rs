//! The command line: arguments, mode, output choices, and the run from arguments to exit code.

use crate::engine::{self, Settings};
use crate::report::{self, Format, Mode, ReportOptions};
use crate::results::Status;
use crate::target::Target;
use crate::transforms::{self, Options, RedirectStyle};
use clap::Parser;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "nsa-migrate",
    version,
    about = "Finds and fixes Server Action breakage when moving a Next.js 14 app to Next 15 and React 19.",
    after_help = "Without a mode, nsa-migrate does a dry run: it prints the diffs and findings and writes nothing.",
    // `nsa-migrate help` would hide a folder named help; --help says it all.
    disable_help_subcommand = true
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Files or folders to look at.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Print a unified diff of every change and all findings; write nothing (the default).
    #[arg(long, alias = "dry", group = "mode")]
    pub dry_run: bool,
    /// Print the diffs as --dry-run does; exit 1 if anything would change or any finding was
    /// reported.
    #[arg(long, group = "mode")]
    pub diff: bool,
    /// Apply the changes to disk.
    #[arg(long, group = "mode")]
    pub write: bool,
    /// Write nothing; print findings and the paths that would change; exit 1 if any would
    /// change or any finding was reported.
    #[arg(long, group = "mode")]
    pub check: bool,
    /// Run only these transforms (repeatable, or comma-separated).
    #[arg(short = 't', long = "transform", value_name = "NAME", value_delimiter = ',')]
    pub transforms: Vec<String>,
    /// Run all transforms but these.
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    pub skip: Vec<String>,
    /// Print every transform, its name and a one-line summary.
    #[arg(long)]
    pub list: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Colour: auto = only on a terminal; NO_COLOR is respected.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: Color,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Allow --write inside a git work tree that has uncommitted changes.
    #[arg(long)]
    pub force: bool,
    /// Hide the summary, the progress bar and the next steps (never the diffs or findings).
    #[arg(short, long)]
    pub quiet: bool,
    /// The Next.js version to migrate to: code that needs a newer one is not emitted.
    #[arg(long, value_name = "VERSION", value_parser = ["14", "15"], default_value = "15")]
    pub to: String,
    /// Force one style of the redirect-outside-try fix where it applies.
    #[arg(long, value_enum, value_name = "STYLE")]
    pub redirect_style: Option<RedirectStyle>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::Subcommand)]
pub enum Command {
    /// Serve the findings and fixes to an editor: a language server on stdin/stdout (settings
    /// from initializationOptions: to, redirectStyle, transforms, skip).
    Lsp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

impl Args {
    pub fn mode(&self) -> Mode {
        if self.write {
            Mode::Write
        } else if self.check {
            Mode::Check
        } else if self.diff {
            Mode::Diff
        } else {
            Mode::DryRun
        }
    }

    fn color(&self) -> bool {
        match self.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal(),
        }
    }
}

/// A fatal problem: printed once, exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum Fatal {
    #[error("unknown transform `{0}`; known: {1}")]
    UnknownTransform(String, String),
    #[error("{0}")]
    Walk(#[from] crate::walk::WalkError),
    #[error(
        "{0} has uncommitted changes ({1}); commit or stash them first so the migration can be reviewed on its own, or pass --force"
    )]
    DirtyWorkTree(String, String),
    #[error("nothing to do: {0}")]
    NothingToDo(String),
    #[error("could not find the current folder: {0}")]
    NoCwd(std::io::Error),
}

pub fn main_with(args: Args) -> ExitCode {
    if args.command == Some(Command::Lsp) {
        return crate::lsp::serve();
    }
    match run(&args) {
        Ok(code) => code,
        Err(fatal) => {
            report::print_fatal(&fatal.to_string());
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<ExitCode, Fatal> {
    if args.list {
        let _ = report::print_list(&transforms::all_meta(), args.format);
        return Ok(ExitCode::SUCCESS);
    }
    let known: Vec<&str> = transforms::all_meta().iter().map(|m| m.name).collect();
    for name in args.transforms.iter().chain(&args.skip) {
        if !known.contains(&name.as_str()) {
            return Err(Fatal::UnknownTransform(name.clone(), known.join(", ")));
        }
    }
    let selection = transforms::Selection {
        only: &args.transforms,
        skip: &args.skip,
    };
    if !known.iter().any(|name| selection.includes(name)) {
        return Err(Fatal::NothingToDo(format!(
            "no transform is left selected (--transform {} --skip {})",
            args.transforms.join(","),
            args.skip.join(",")
        )));
    }
    let mode = args.mode();
    let cwd = std::env::current_dir().map_err(Fatal::NoCwd)?;
    for path in &args.paths {
        if std::fs::symlink_metadata(path).is_err() {
            return Err(Fatal::Walk(crate::walk::WalkError::Missing(path.clone())));
        }
        if path.is_file() && crate::parse::Lang::from_path(path).is_none() {
            return Err(Fatal::NothingToDo(format!(
                "{} is not a JavaScript or TypeScript file (nsa-migrate reads .js .jsx .mjs .cjs .ts .tsx .mts .cts)",
                crate::walk::display_path(path, &cwd)
            )));
        }
    }
    if mode == Mode::Write && !args.force {
        for path in &args.paths {
            if let Some((top, files)) = dirty_work_tree(path) {
                let top = crate::walk::display_path(&top, &cwd);
                let shown: Vec<String> = files.iter().map(|f| crate::walk::display_path(f, &cwd)).collect();
                return Err(Fatal::DirtyWorkTree(top, list_some(&shown, 10)));
            }
        }
    }
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let settings = Settings {
        paths: args.paths.clone(),
        jobs,
        target: if args.to == "14" {
            Target::NEXT_14
        } else {
            Target::NEXT_15
        },
        options: Options {
            redirect_style: args.redirect_style,
            auth: selection
                .includes("redirect-outside-try")
                .then(|| std::sync::Arc::new(crate::project::auth::AuthExports::new(&cwd))),
        },
        file_transforms: selection.file_transforms(),
        folder_transforms: selection.folder_transforms(),
        project_transforms: selection.project_transforms(),
        diffs: matches!(mode, Mode::DryRun | Mode::Diff) || args.format == Format::Json,
        replacements: args.format == Format::Sarif,
        keep_output: mode == Mode::Write,
        // A bar only where someone watches, and only for runs long enough to need one.
        progress: std::io::stderr().is_terminal() && !args.quiet,
        cwd,
    };
    let mut result = engine::run(&settings)?;
    let cwd = settings.cwd.clone();

    let mut write_errors = Vec::new();
    if mode == Mode::Write {
        for (index, file) in result
            .files
            .iter_mut()
            .filter(|f| matches!(f.status, Status::Changed | Status::Created))
            .enumerate()
        {
            let Some(bytes) = &file.new_bytes else {
                continue;
            };
            crate::test_hooks::before_write(index);
            if let Err(error) = crate::write::write_atomically(&file.path, &file.display, bytes, file.fingerprint) {
                write_errors.push(error.to_string());
                // Not written: the summary counts it under "could not be written", not "changed".
                file.status = Status::Unchanged;
            }
        }
    }
    let options = ReportOptions {
        mode,
        format: args.format,
        color: args.color(),
        quiet: args.quiet,
    };
    let _ = report::print(&result, &options, &write_errors);
    if result.scanned == 0 {
        let shown: Vec<String> = args.paths.iter().map(|p| crate::walk::display_path(p, &cwd)).collect();
        report::print_warning(&format!(
            "no JavaScript or TypeScript file found in {}; nothing to migrate",
            shown.join(", ")
        ));
    }
    let would_change = result
        .files
        .iter()
        .any(|f| matches!(f.status, Status::Changed | Status::Created));
    let crashes = result.crashes();
    if crashes > 0 {
        report::print_fatal(&format!(
            "nsa-migrate crashed on {crashes} file{} (see the findings; {} left unchanged) — please report it",
            if crashes == 1 { "" } else { "s" },
            if crashes == 1 { "it was" } else { "they were" }
        ));
    }
    let code = if !write_errors.is_empty() || crashes > 0 {
        2
    } else if matches!(mode, Mode::Check | Mode::Diff) && (would_change || result.findings().next().is_some()) {
        1
    } else {
        0
    };
    Ok(ExitCode::from(code))
}

/// The first `limit` items, then "and N more".
fn list_some(items: &[String], limit: usize) -> String {
    let mut shown = items.iter().take(limit).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > limit {
        shown.push_str(&format!(" and {} more", items.len() - limit));
    }
    shown
}

/// The top of the git work tree holding `path` and its uncommitted files, when it has any. No
/// git, or not a work tree: nothing to protect, `None`.
fn dirty_work_tree(path: &std::path::Path) -> Option<(PathBuf, Vec<PathBuf>)> {
    let folder = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent()
            .map(|p| p.to_path_buf())
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."))
    };
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(&folder)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
    };
    let top = git(&["rev-parse", "--show-toplevel"])?;
    let top = PathBuf::from(String::from_utf8_lossy(&top.stdout).trim());
    // Porcelain paths are relative to the top; -z keeps odd names whole, and a rename's second
    // entry (its old name) is skipped.
    let status = git(&["status", "--porcelain=v1", "-z", "--untracked-files=all"])?;
    let mut files = Vec::new();
    let mut entries = status.stdout.split(|&b| b == 0).filter(|e| !e.is_empty());
    while let Some(entry) = entries.next() {
        let entry = String::from_utf8_lossy(entry);
        let (code, name) = (entry.get(..2).unwrap_or(""), entry.get(3..).unwrap_or(""));
        if code.contains('R') || code.contains('C') {
            entries.next();
        }
        files.push(top.join(name));
    }
    if files.is_empty() {
        return None;
    }
    Some((top, files))
}
