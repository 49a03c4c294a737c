//! Where each rule is explained, for the help texts and links of SARIF and the language server:
//! its row in the README's table (what it fixes, what its output needs) and its README section.
//! Read from the README itself, so a renamed heading cannot leave a dead link (a test checks that
//! every rule has both).

use crate::transforms::all_meta;

const README: &str = include_str!("../README.md");

/// The repository's page; the README sections hang off it.
pub const HOME: &str = env!("CARGO_PKG_REPOSITORY");

/// The names findings carry that are not rules of the registry: a file left alone as a whole,
/// and a package.json behind what the code needs. Each with its summary and its README heading.
const OTHER_RULES: &[(&str, &str, &str)] = &[
    (
        "skipped",
        "a file nsa-migrate left alone as a whole (syntax errors, code its grammar cannot read, a crash)",
        "## How it keeps your code safe",
    ),
    (
        "target-version",
        "a package.json that declares an older Next or React than the code needs",
        "### Target version",
    ),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDoc {
    pub name: &'static str,
    pub summary: &'static str,
    /// The README table's "what it fixes" (the summary for the names outside the registry).
    pub description: String,
    /// What the rule's output needs (empty for the names outside the registry).
    pub needs: String,
    /// The README section that explains it.
    pub url: String,
}

/// Every rule in run order, then the names outside the registry.
pub fn all() -> Vec<RuleDoc> {
    let rules = all_meta().into_iter().map(|meta| {
        let row = table_row(meta.name);
        RuleDoc {
            name: meta.name,
            summary: meta.summary,
            description: row.as_ref().map_or_else(|| meta.summary.to_string(), |r| r.0.clone()),
            needs: row.map_or_else(|| meta.needs.to_string(), |r| r.1),
            url: section_url(&format!("`{}`", meta.name)),
        }
    });
    let others = OTHER_RULES.iter().map(|&(name, summary, heading)| RuleDoc {
        name,
        summary,
        description: summary.to_string(),
        needs: String::new(),
        url: section_url(heading),
    });
    rules.chain(others).collect()
}

/// The README link for a rule name (the README's top for a name it does not know).
pub fn url_of(name: &str) -> String {
    all()
        .into_iter()
        .find(|doc| doc.name == name)
        .map_or_else(|| format!("{HOME}#readme"), |doc| doc.url)
}

/// The README table row of a rule: (what it fixes, output needs).
fn table_row(name: &str) -> Option<(String, String)> {
    let start = format!("| `{name}` |");
    let line = README.lines().find(|l| l.starts_with(&start))?;
    let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
    Some((cells.get(1)?.to_string(), cells.get(2)?.to_string()))
}

/// The link to the first README heading that holds `marker` (the README's top when none does).
fn section_url(marker: &str) -> String {
    let heading = README
        .lines()
        .filter(|l| l.starts_with('#'))
        .find(|l| l.contains(marker))
        .map(|l| l.trim_start_matches('#').trim());
    match heading {
        Some(heading) => format!("{HOME}#{}", anchor(heading)),
        None => format!("{HOME}#readme"),
    }
}

/// GitHub's anchor for a heading: lower case, punctuation dropped (but `-` and `_`), spaces to
/// hyphens.
fn anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_githubs() {
        assert_eq!(
            anchor("`server-actions-flag` — next.config clean-up for Next 14 and 15"),
            "server-actions-flag--nextconfig-clean-up-for-next-14-and-15"
        );
        assert_eq!(anchor("Target version: `--to 14|15`"), "target-version---to-1415");
    }

    #[test]
    fn every_rule_has_a_readme_row_and_section() {
        for meta in all_meta() {
            assert!(table_row(meta.name).is_some(), "no README table row for {}", meta.name);
        }
        for doc in all() {
            assert!(!doc.url.ends_with("#readme"), "no README section for {}", doc.name);
        }
        assert_eq!(
            url_of("use-action-state"),
            format!("{HOME}#use-action-state"),
            "a heading that is the name alone"
        );
        assert_eq!(
            url_of("actions-in-pages"),
            format!(
                "{HOME}#the-doctor-rules-directive-placement-async-server-exports-actions-in-pages-formdata-identity-missing-revalidate"
            )
        );
    }
}
