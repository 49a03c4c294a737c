//! `--format github`: GitHub Actions workflow commands, which the Actions log turns into
//! annotations on the pull request: one per finding, one per file the run would change or
//! create (naming its rules), write errors as errors, and the summary as a notice.

use super::{Mode, ReportOptions, next_steps, summary_line};
use crate::results::RunResult;
use std::io::{self, Write};

pub(super) fn print(
    out: &mut impl Write,
    result: &RunResult,
    options: &ReportOptions,
    write_errors: &[String],
) -> io::Result<()> {
    let mode = options.mode;
    for finding in result.findings() {
        let properties = [
            ("file", finding.path.clone()),
            ("line", finding.line.to_string()),
            ("col", finding.column.to_string()),
            ("title", format!("nsa-migrate {}", finding.transform)),
        ];
        command(out, "warning", &properties, &finding.message)?;
    }
    // After --write there is nothing left to change; the summary says what was written.
    if mode != Mode::Write {
        for (file, what) in result.files.iter().filter_map(|f| Some((f, f.pending()?))) {
            let properties = [
                ("file", file.display.clone()),
                ("title", format!("nsa-migrate {}", file.applied.join(", "))),
            ];
            command(out, "warning", &properties, &format!("{what}: run nsa-migrate --write"))?;
        }
    }
    for error in write_errors {
        command(out, "error", &[("title", "nsa-migrate".to_string())], error)?;
    }
    // `-q` hides the summary here as in the text output.
    if options.quiet {
        return Ok(());
    }
    let mut summary = summary_line(result, mode, write_errors.len());
    let steps = next_steps(result);
    if !steps.is_empty() {
        summary.push('\n');
        summary.push_str(steps.trim_end());
    }
    command(out, "notice", &[("title", "nsa-migrate".to_string())], &summary)
}

/// `::NAME key=value,...::message`, escaped as the runner's parser requires.
fn command(out: &mut impl Write, name: &str, properties: &[(&str, String)], message: &str) -> io::Result<()> {
    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect();
    writeln!(out, "::{name} {}::{}", properties.join(","), escape_data(message))
}

/// A message: `%`, CR and LF would end or garble the command.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A property value: also `:` (ends the properties) and `,` (separates them).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_reads() {
        assert_eq!(escape_data("50% of a\r\nb: c, d"), "50%25 of a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        let mut out = Vec::new();
        command(
            &mut out,
            "warning",
            &[("file", "app/a,b.ts".into()), ("title", "nsa-migrate x: y".into())],
            "one\ntwo",
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::warning file=app/a%2Cb.ts,title=nsa-migrate x%3A y::one%0Atwo\n"
        );
    }
}
