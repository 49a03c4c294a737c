//! The text the rule writes: messages, shifted values, object literals.

use super::*;

/// A report message; one that does not start with the key's name gets it in front.
pub(super) fn report_message(key: &str, message: &str) -> String {
    if message.starts_with('`') {
        message.to_string()
    } else {
        format!("`{key}` {message}")
    }
}

/// The text of `node` with `edits` (offsets into the whole text, all inside `node`) applied.
pub(super) fn shifted(text: &str, node: Node, edits: &[Edit]) -> String {
    let start = node.start_byte();
    let local: Vec<Edit> = edits
        .iter()
        .filter(|e| e.start >= start && e.end <= node.end_byte())
        .map(|e| Edit::replace(e.start - start..e.end - start, e.text.clone()))
        .collect();
    let original = &text[node.byte_range()];
    apply_edits(original, &local).unwrap_or_else(|_| original.to_string())
}

/// The elements of an array literal as written (`'a', 'b'`), or `...value` for anything else.
pub(super) fn array_elements(text: &str, value: Node) -> String {
    if value.kind() != "array" {
        return format!("...{}", &text[value.byte_range()]);
    }
    let inner = &text[value.start_byte() + 1..value.end_byte() - 1];
    inner.trim().trim_end_matches(',').trim_end().to_string()
}

/// A new object literal of `props` (key, value indented relative to its property, leading
/// comments), on lines of its own when the config is written on several lines. Lines after the
/// first carry no indentation of the object itself: the caller's re-indent adds it.
pub(super) fn object_text(props: &[(String, String, Vec<String>)], multiline: bool, style: &Style) -> String {
    if !multiline {
        let parts: Vec<String> = props.iter().map(|(k, v, _)| format!("{k}: {v}")).collect();
        return format!("{{ {} }}", parts.join(", "));
    }
    let nl = style.newline;
    let indent = &style.indent;
    let mut out = String::from("{");
    for (key, value, leading) in props {
        for comment in leading {
            out.push_str(&format!("{nl}{indent}{comment}"));
        }
        out.push_str(&format!("{nl}{indent}{key}: {},", reindent(value, "", indent)));
    }
    out.push_str(nl);
    out.push('}');
    out
}

/// Whether the app of this config has an `app/` folder (beside it or in `src/`): `i18n` then
/// matters only for its pages. Read from the disk because a config rule sees one file.
pub(super) fn has_app_folder(config: &Path) -> bool {
    let folder = config.parent().unwrap_or(Path::new("."));
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    folder.join("app").is_dir() || folder.join("src/app").is_dir()
}
