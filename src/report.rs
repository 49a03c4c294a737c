//! Everything the user sees: unified diffs, findings, the summary, JSON. The only module that
//! prints.

use crate::fix::Finding;
use crate::results::{RunResult, Status};
use crate::transforms::Meta;
use std::io::{self, Write};

mod github;
mod sarif;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    DryRun,
    Write,
    Check,
    /// `--diff`: the diffs of a dry run, the exit code of a check.
    Diff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// GitHub Actions workflow commands: an annotation per finding and per file to change.
    Github,
    /// One SARIF 2.1.0 log, for code scanning.
    Sarif,
}

pub struct ReportOptions {
    pub mode: Mode,
    pub format: Format,
    pub color: bool,
    pub quiet: bool,
}

/// Writes the run's results to stdout and the summary to stderr.
pub fn print(result: &RunResult, options: &ReportOptions, write_errors: &[String]) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match options.format {
        Format::Json => print_json(&mut out, result, options, write_errors)?,
        Format::Text => print_text(&mut out, result, options)?,
        Format::Github => github::print(&mut out, result, options, write_errors)?,
        Format::Sarif => sarif::print(&mut out, result)?,
    }
    out.flush()?;
    drop(out);
    let mut err = io::stderr().lock();
    for error in write_errors {
        writeln!(err, "error: {error}")?;
    }
    if !options.quiet && options.format == Format::Text {
        writeln!(err, "{}", summary_line(result, options.mode, write_errors.len()))?;
        write!(err, "{}", next_steps(result))?;
    }
    Ok(())
}

fn print_text(out: &mut impl Write, result: &RunResult, options: &ReportOptions) -> io::Result<()> {
    // Diffs and what a check would change are the run's results: `-q` keeps them.
    match options.mode {
        Mode::DryRun | Mode::Diff => {
            for file in &result.files {
                if let Some(diff) = &file.diff {
                    write_diff(out, diff, options.color)?;
                }
            }
        }
        Mode::Check => {
            for (file, what) in result.files.iter().filter_map(|f| Some((f, f.pending()?))) {
                writeln!(out, "{what}: {}", file.display)?;
            }
        }
        Mode::Write if !options.quiet => {
            for file in &result.files {
                match file.status {
                    Status::Changed => writeln!(out, "wrote: {}", file.display)?,
                    Status::Created => writeln!(out, "created: {}", file.display)?,
                    _ => {}
                }
            }
        }
        Mode::Write => {}
    }
    for finding in result.findings() {
        write_finding(out, finding, options.color)?;
    }
    Ok(())
}

fn write_diff(out: &mut impl Write, diff: &str, color: bool) -> io::Result<()> {
    if !color {
        return out.write_all(diff.as_bytes());
    }
    for line in diff.split_inclusive('\n') {
        let code = if line.starts_with("---") || line.starts_with("+++") {
            "1"
        } else if line.starts_with('+') {
            "32"
        } else if line.starts_with('-') {
            "31"
        } else if line.starts_with("@@") {
            "36"
        } else {
            ""
        };
        if code.is_empty() {
            out.write_all(line.as_bytes())?;
        } else {
            let body = line.trim_end_matches(['\n', '\r']);
            write!(out, "\x1b[{code}m{body}\x1b[0m{}", &line[body.len()..])?;
        }
    }
    Ok(())
}

fn write_finding(out: &mut impl Write, f: &Finding, color: bool) -> io::Result<()> {
    if color {
        writeln!(
            out,
            "\x1b[1m{}:{}:{}:\x1b[0m \x1b[33mwarning[{}]\x1b[0m: {}",
            f.path, f.line, f.column, f.transform, f.message
        )
    } else {
        writeln!(
            out,
            "{}:{}:{}: warning[{}]: {}",
            f.path, f.line, f.column, f.transform, f.message
        )
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

pub fn summary_line(result: &RunResult, mode: Mode, failed_writes: usize) -> String {
    let changed = result.count(Status::Changed);
    let created = result.count(Status::Created);
    let skipped = result.count(Status::Skipped)
        + result
            .other_findings
            .iter()
            .filter(|f| f.transform == "skipped")
            .count();
    let findings = result.findings().count();
    let verb = match mode {
        Mode::DryRun | Mode::Check | Mode::Diff => "would change",
        Mode::Write => "changed",
    };
    let created_verb = if mode == Mode::Write { "created" } else { "would create" };
    let mut line = format!(
        "{} scanned: {verb} {}, {created_verb} {}, {}, {} skipped",
        plural(result.scanned, "file"),
        changed,
        created,
        plural(findings, "finding"),
        skipped
    );
    if failed_writes > 0 {
        line.push_str(&format!(", {} could not be written", failed_writes));
    }
    if matches!(mode, Mode::DryRun | Mode::Diff) && changed + created > 0 {
        line.push_str(" (dry run: nothing written; run with --write to apply)");
    }
    if result.held_back > 0 {
        let (verb, were) = if result.held_back == 1 {
            ("needs", "was")
        } else {
            ("need", "were")
        };
        line.push_str(&format!(
            "\n{} {verb} Next 15 and {were} not made (--to 14); run with --to 15 once the app is on Next 15",
            plural(result.held_back, "change")
        ));
    }
    line
}

/// The steps this tool does not take, when the run leaves an app below Next 15 / React 19:
/// printed once, after the summary.
pub fn next_steps(result: &RunResult) -> String {
    if result.upgrades.is_empty() {
        return String::new();
    }
    let mut text = String::from("next steps (nsa-migrate does not take them):\n");
    let upgrade = if result.upgrades.len() == 1 {
        "upgrade the packages that are behind"
    } else {
        "upgrade the packages that are behind, in each app"
    };
    text.push_str(&format!("  1. {upgrade}:\n"));
    for command in &result.upgrades {
        text.push_str(&format!("       {command}\n"));
    }
    text.push_str(
        "  2. make cookies(), headers() and params async: npx @next/codemod@latest next-async-request-api .\n",
    );
    text.push_str("  3. build and fix what it reports: next build\n");
    text
}

fn print_json(
    out: &mut impl Write,
    result: &RunResult,
    options: &ReportOptions,
    write_errors: &[String],
) -> io::Result<()> {
    let files: Vec<serde_json::Value> = result
        .files
        .iter()
        .filter(|f| f.status != Status::Unchanged)
        .map(|f| {
            serde_json::json!({
                "path": f.display,
                "status": f.status,
                "transforms": f.applied,
                "diff": f.diff,
            })
        })
        .collect();
    let findings: Vec<&Finding> = result.findings().collect();
    let mode = match options.mode {
        Mode::DryRun => "dry-run",
        Mode::Write => "write",
        Mode::Check => "check",
        Mode::Diff => "diff",
    };
    let document = serde_json::json!({
        "files": files,
        "findings": findings,
        "summary": {
            "mode": mode,
            "scanned": result.scanned,
            "changed": result.count(Status::Changed),
            "created": result.count(Status::Created),
            "findings": findings.len(),
            "skipped": result.count(Status::Skipped) + result.other_findings.iter().filter(|f| f.transform == "skipped").count(),
            "write_errors": write_errors,
            "held_back": result.held_back,
        },
        "upgrades": result.upgrades,
    });
    let document = keys_sorted(document);
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

/// `--list`: every transform, what it does and what its output needs.
pub fn print_list(transforms: &[&Meta], format: Format) -> io::Result<()> {
    let mut out = io::stdout().lock();
    if format == Format::Json {
        let list: Vec<serde_json::Value> = transforms
            .iter()
            .map(|m| {
                let on = crate::transforms::on_by_default(m.name);
                keys_sorted(
                    serde_json::json!({ "name": m.name, "summary": m.summary, "needs": m.needs, "on_by_default": on }),
                )
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &list)?;
        return writeln!(out);
    }
    let width = transforms.iter().map(|m| m.name.len()).max().unwrap_or(0);
    for meta in transforms {
        writeln!(out, "{:width$}  {}", meta.name, meta.summary)?;
        writeln!(out, "{:width$}  needs: {}", "", meta.needs)?;
        if let Some(why) = crate::transforms::off_by_default(meta.name) {
            writeln!(
                out,
                "{:width$}  off by default: {why}; run it with -t {}",
                "", meta.name
            )?;
        }
    }
    Ok(())
}

/// A warning about the run as a whole, on stderr.
pub fn print_warning(message: &str) {
    let _ = writeln!(io::stderr().lock(), "warning: {message}");
}

/// A fatal error, with its hint, on stderr.
pub fn print_fatal(message: &str) {
    let _ = writeln!(io::stderr().lock(), "error: {message}");
}

/// A path (`/` separated) as the path of a URI: the characters a URI cannot hold as they are,
/// percent-encoded (SARIF's relative references, the language server's `file:` URIs).
pub(crate) fn percent_encoded(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The JSON with every object's keys in order: serde_json keeps insertion order when a
/// dependency (oxc_resolver) turns on its `preserve_order`, and the output must not change with
/// the dependency tree.
fn keys_sorted(mut value: serde_json::Value) -> serde_json::Value {
    fn sort(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                map.sort_keys();
                map.values_mut().for_each(sort);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(sort),
            _ => {}
        }
    }
    sort(&mut value);
    value
}
