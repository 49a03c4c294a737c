//! `--format sarif`: one SARIF 2.1.0 log for code scanning. Every rule is in `tool.driver`
//! (from the README: what it fixes, what its output needs, the section that explains it); every
//! finding and every pending change is a result, and a pending change carries its fix as byte
//! replacements of the original file, so a code-scanning UI can offer it.

use crate::results::{FileResult, Replacement, RunResult, Status};
use crate::rule_docs::{self, RuleDoc};
use serde_json::{Value, json};
use std::io::{self, Write};

const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

pub(super) fn print(out: &mut impl Write, result: &RunResult) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(result))?;
    writeln!(out)
}

fn log(result: &RunResult) -> Value {
    let rules = rule_docs::all();
    let index_of = |name: &str| rules.iter().position(|r| r.name == name);
    let mut results: Vec<Value> = result
        .findings()
        .map(|f| {
            let mut value = json!({
                "ruleId": f.transform,
                "level": "warning",
                "message": { "text": f.message },
                "locations": [location(&f.path, f.line, f.column)],
            });
            if let Some(index) = index_of(&f.transform) {
                value["ruleIndex"] = json!(index);
            }
            value
        })
        .collect();
    for file in result
        .files
        .iter()
        .filter(|f| matches!(f.status, Status::Changed | Status::Created))
    {
        results.push(pending_change(file, &index_of));
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "nsa-migrate",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": rule_docs::HOME,
                "rules": rules.iter().map(rule).collect::<Vec<_>>(),
            }},
            // Finding columns count characters, as the text output's do.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

fn rule(doc: &RuleDoc) -> Value {
    let needs = if doc.needs.is_empty() || doc.needs == "—" {
        String::new()
    } else {
        format!(" Output needs: {}.", doc.needs)
    };
    let help = format!("{}.{needs} See {}", doc.description, doc.url);
    json!({
        "id": doc.name,
        "name": doc.name,
        "shortDescription": { "text": doc.summary },
        "fullDescription": { "text": doc.description },
        "help": { "text": help, "markdown": format!("{}.{needs} [Read more]({})", doc.description, doc.url) },
        "helpUri": doc.url,
        "defaultConfiguration": { "level": "warning" },
    })
}

/// A file `--write` would change or create: at its first replacement, with the whole change as
/// the fix; the rule is the first that changed it, and the message names them all.
fn pending_change(file: &FileResult, index_of: &dyn Fn(&str) -> Option<usize>) -> Value {
    let first = file.replacements.first();
    let (line, column) = first.map_or((1, 1), |r| (r.line, r.column));
    let what = if file.status == Status::Created {
        "would create this file"
    } else {
        "would change this file"
    };
    let rules = file.applied.join(", ");
    let rule = file.applied.first().copied().unwrap_or("nsa-migrate");
    let mut value = json!({
        "ruleId": rule,
        "level": "warning",
        "message": { "text": format!("{rules} {what}: run nsa-migrate --write") },
        "locations": [location(&file.display, line, column)],
        "fixes": [{
            "description": { "text": format!("apply {rules}") },
            "artifactChanges": [{
                "artifactLocation": { "uri": super::percent_encoded(&file.display) },
                "replacements": file.replacements.iter().map(replacement).collect::<Vec<_>>(),
            }],
        }],
    });
    if let Some(index) = index_of(rule) {
        value["ruleIndex"] = json!(index);
    }
    value
}

fn replacement(r: &Replacement) -> Value {
    json!({
        "deletedRegion": { "byteOffset": r.byte_offset, "byteLength": r.byte_length },
        "insertedContent": { "text": r.inserted },
    })
}

fn location(path: &str, line: usize, column: usize) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": super::percent_encoded(path) },
            "region": { "startLine": line, "startColumn": column },
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris_encode_what_a_path_may_hold() {
        use super::super::percent_encoded as uri;
        assert_eq!(uri("app/posts/[id]/page.tsx"), "app/posts/%5Bid%5D/page.tsx");
        assert_eq!(uri("../package.json"), "../package.json");
        assert_eq!(uri("app/é b.ts"), "app/%C3%A9%20b.ts");
        assert_eq!(uri("a:b.ts"), "a%3Ab.ts", "not to be read as a scheme");
    }
}
