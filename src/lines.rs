//! Line and list edits, one owner: what removing a statement, a property or a paragraph takes
//! with it (its line, the comments attached to it, one of two blank lines around it), so that a
//! removal never leaves a blank line or a stray comment behind.

use crate::fix::Edit;
use std::ops::Range;
use tree_sitter::Node;

/// Byte range of the whole line(s) holding `start..end`, with its line break, when nothing but
/// whitespace shares those lines; otherwise `start..end` itself. Removing a statement with this
/// takes its line away instead of leaving a blank one.
pub fn line_range(text: &str, start: usize, end: usize) -> std::ops::Range<usize> {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let before_is_blank = text[line_start..start].trim().is_empty();
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    let after_is_blank = text[end..line_end].trim().is_empty();
    if before_is_blank && after_is_blank {
        line_start..line_end
    } else {
        start..end
    }
}

/// Removes a whole statement, with its line when it stands alone on it.
pub fn remove_statement(text: &str, range: Range<usize>) -> Edit {
    Edit::delete(line_range(text, range.start, range.end))
}

/// Whether `comment` sits on lines of its own directly above `start` (no blank line between).
pub fn comment_is_attached(text: &str, comment: Node, start: usize) -> bool {
    let gap = &text[comment.end_byte()..start];
    own_line(text, comment.start_byte()) && gap.trim().is_empty() && gap.matches('\n').count() <= 1
}

pub fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Whether only whitespace precedes `at` on its line.
pub fn own_line(text: &str, at: usize) -> bool {
    text[line_start(text, at)..at].trim().is_empty()
}

/// The start of the line of `node`, moved up over the comment lines directly above it, when
/// `node` starts its line.
pub fn line_start_with_comments(text: &str, node: Node) -> Option<usize> {
    if !own_line(text, node.start_byte()) {
        return None;
    }
    let mut start = node.start_byte();
    let mut previous = node.prev_sibling();
    while let Some(comment) = previous.filter(|p| p.kind() == "comment" && comment_is_attached(text, *p, start)) {
        start = comment.start_byte();
        previous = comment.prev_sibling();
    }
    Some(line_start(text, start))
}

/// The start of the next line, when nothing but spaces and a comment follow `at` on its line.
pub fn line_end_after(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = skip_spaces(text, at);
    if text[i..].starts_with("//") {
        i += text[i..].find('\n').unwrap_or(text.len() - i);
    } else if text[i..].starts_with("/*") {
        let close = text[i..].find("*/")? + i + 2;
        if text[i..close].contains('\n') {
            return None;
        }
        i = skip_spaces(text, close);
    }
    match bytes.get(i) {
        None => Some(i),
        Some(b'\n') => Some(i + 1),
        Some(b'\r') if bytes.get(i + 1) == Some(&b'\n') => Some(i + 2),
        _ => None,
    }
}

pub fn skip_spaces(text: &str, at: usize) -> usize {
    at + text[at..].len() - text[at..].trim_start_matches([' ', '\t']).len()
}

/// What removing `node` (ending at `end`, its comma included) deletes: its whole lines with their
/// comments when it has lines of its own, else just itself.
pub fn removal_range(text: &str, node: Node, end: usize) -> Range<usize> {
    match (line_start_with_comments(text, node), line_end_after(text, end)) {
        (Some(start), Some(end)) => collapse_blank_lines(text, start..end),
        _ => node.start_byte()..skip_spaces(text, end),
    }
}

/// Whole lines to remove, plus the blank line after them when a blank line also comes before:
/// removing a paragraph leaves one blank line, not two.
pub fn collapse_blank_lines(text: &str, lines: Range<usize>) -> Range<usize> {
    let blank_before = lines.start > 0 && text[line_start(text, lines.start - 1)..lines.start].trim().is_empty();
    if !blank_before || lines.end >= text.len() {
        return lines;
    }
    match line_end_after(text, lines.end) {
        Some(end) if text[lines.end..end].trim().is_empty() => lines.start..end,
        _ => lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_range_takes_whole_lines_only() {
        let text = "a;\n  import x from 'y';\nb;\n";
        let start = text.find("import").unwrap();
        let end = text.find("'y';").unwrap() + 4;
        assert_eq!(&text[line_range(text, start, end)], "  import x from 'y';\n");
        let text = "a; import x from 'y';\n";
        let start = text.find("import").unwrap();
        assert_eq!(line_range(text, start, text.len() - 1), start..text.len() - 1);
    }

    #[test]
    fn a_removed_paragraph_leaves_one_blank_line() {
        let text = "a,\n\n  b: 1,\n\nc\n";
        let start = text.find("  b").unwrap();
        let end = text.find("1,").unwrap() + 3;
        assert_eq!(&text[collapse_blank_lines(text, start..end)], "  b: 1,\n\n");
        assert_eq!(line_end_after(text, text.find("1,").unwrap() + 2), Some(end));
        assert_eq!(line_end_after("x /* y */ z\n", 1), None);
    }
}
