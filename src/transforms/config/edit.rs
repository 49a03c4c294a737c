//! Surgical edits of object literals in a config file: a removed property takes its own line,
//! the comment lines directly above it and its trailing comment with it; commas stay valid, the
//! trailing-comma habit and the line endings are kept; moved values are re-indented. Shared by
//! the rules that edit next.config.

use crate::fix::Edit;
pub use crate::lines::removal_range;
use crate::lines::{collapse_blank_lines, comment_is_attached, line_end_after, line_start_with_comments, skip_spaces};
use crate::style::{Style, indent_at};
use tree_sitter::Node;

/// The `,` after a property, if any.
pub fn comma_after(item: Node) -> Option<Node> {
    let mut next = item.next_sibling();
    while let Some(node) = next {
        match node.kind() {
            "comment" => next = node.next_sibling(),
            "," => return Some(node),
            _ => return None,
        }
    }
    None
}

/// A property to append to an object.
pub struct NewProp {
    pub key: String,
    pub value: String,
    /// The indentation of the line the value came from, to re-indent its later lines.
    pub from_indent: String,
    pub leading: Vec<String>,
    pub trailing: Option<String>,
}

/// The property `item` under a new key, with the comments that leave with it.
pub fn new_prop(text: &str, item: Node, key: &str, value: Node) -> NewProp {
    let (leading, trailing) = attached_comments(text, item);
    NewProp {
        key: key.to_string(),
        value: text[value.byte_range()].to_string(),
        from_indent: indent_at(text, item.start_byte()).to_string(),
        leading: leading.iter().map(|c| text[c.byte_range()].to_string()).collect(),
        trailing: trailing.map(|c| text[c.byte_range()].to_string()),
    }
}

/// The comments a whole-line removal of `item` takes: own-line comments directly above it and a
/// comment after it on its last line. None when the item does not have its own lines.
pub fn attached_comments<'t>(text: &str, item: Node<'t>) -> (Vec<Node<'t>>, Option<Node<'t>>) {
    let end = comma_after(item).map_or(item.end_byte(), |c| c.end_byte());
    if line_start_with_comments(text, item).is_none() || line_end_after(text, end).is_none() {
        return (Vec::new(), None);
    }
    let mut leading = Vec::new();
    let mut start = item.start_byte();
    let mut previous = item.prev_sibling();
    while let Some(comment) = previous.filter(|p| p.kind() == "comment" && comment_is_attached(text, *p, start)) {
        leading.insert(0, comment);
        start = comment.start_byte();
        previous = comment.prev_sibling();
    }
    let trailing = item
        .next_sibling()
        .filter(|n| n.kind() == ",")
        .map_or(item.next_sibling(), |comma| comma.next_sibling())
        .filter(|n| n.kind() == "comment" && !text[end..n.start_byte()].contains('\n'));
    (leading, trailing)
}

/// Re-indents the lines after the first of `value` from `from` to `to`.
pub fn reindent(value: &str, from: &str, to: &str) -> String {
    let mut lines = value.split('\n');
    let mut out = lines.next().unwrap_or("").to_string();
    for line in lines {
        out.push('\n');
        match line.strip_prefix(from) {
            Some(rest) => {
                out.push_str(to);
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// Edits that remove the items at `remove` (sorted indices into `items`) from `object` and
/// append `append` as its last properties, keeping commas valid and the trailing-comma habit.
pub fn edit_object(
    text: &str,
    object: Node,
    items: &[Node],
    remove: &[usize],
    append: &[NewProp],
    style: &Style,
) -> Vec<Edit> {
    let n = items.len();
    let trailing = items.last().is_some_and(|item| comma_after(*item).is_some());
    let removed = |i: usize| remove.contains(&i);
    let mut edits = Vec::new();
    let mut final_run_by_lines = false;
    let mut i = 0;
    while i < n {
        if !removed(i) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < n && removed(j + 1) {
            j += 1;
        }
        let (first, last) = (items[i], items[j]);
        let last_end = comma_after(last).map_or(last.end_byte(), |c| c.end_byte());
        match (line_start_with_comments(text, first), line_end_after(text, last_end)) {
            (Some(start), Some(end)) => {
                edits.push(Edit::delete(collapse_blank_lines(text, start..end)));
                final_run_by_lines |= j == n - 1;
            }
            _ => {
                let range = match comma_after(last) {
                    Some(comma) => first.start_byte()..skip_spaces(text, comma.end_byte()),
                    None if i > 0 => items[i - 1].end_byte()..last.end_byte(),
                    None => first.start_byte()..last.end_byte(),
                };
                edits.push(Edit::delete(range));
            }
        }
        i = j + 1;
    }
    let last_kept = (0..n).rev().find(|&k| !removed(k));
    if append.is_empty() {
        // A final property removed by lines leaves the comma of the one before it.
        if final_run_by_lines
            && !trailing
            && let Some(comma) = last_kept.and_then(|k| comma_after(items[k]))
        {
            edits.push(Edit::delete(comma.byte_range()));
        }
        return edits;
    }
    let close = object.end_byte().saturating_sub(1);
    let nl = style.newline;
    let lines = |indent: &str, edits: &mut Vec<Edit>, at: usize| {
        let mut added = String::new();
        for (index, prop) in append.iter().enumerate() {
            for comment in &prop.leading {
                added.push_str(&format!("{nl}{indent}{}", reindent(comment, &prop.from_indent, indent)));
            }
            let comma = if index + 1 < append.len() || trailing { "," } else { "" };
            let value = reindent(&prop.value, &prop.from_indent, indent);
            added.push_str(&format!("{nl}{indent}{}: {value}{comma}", prop.key));
            if let Some(comment) = &prop.trailing {
                added.push_str(&format!(" {comment}"));
            }
        }
        edits.push(Edit::insert(at, added));
    };
    let inline_text = |prefix: &str| {
        let joined: Vec<String> = append.iter().map(|p| format!("{}: {}", p.key, p.value)).collect();
        format!("{prefix}{}{}", joined.join(", "), if trailing { "," } else { "" })
    };
    match last_kept {
        Some(k) => {
            let last = items[k];
            let has_comma = if k == n - 1 {
                trailing
            } else {
                trailing || final_run_by_lines
            };
            let after = match comma_after(last) {
                Some(comma) if has_comma => comma.end_byte(),
                _ => last.end_byte(),
            };
            match text[after..close.max(after)].find('\n') {
                Some(offset) => {
                    let mut at = after + offset;
                    if at > after && text.as_bytes()[at - 1] == b'\r' {
                        at -= 1;
                    }
                    if !has_comma {
                        edits.push(Edit::insert(last.end_byte(), ","));
                    }
                    let indent = indent_at(text, last.start_byte()).to_string();
                    lines(&indent, &mut edits, at);
                }
                None => {
                    let prefix = if has_comma { " " } else { ", " };
                    edits.push(Edit::insert(after, inline_text(prefix)));
                }
            }
        }
        None => {
            let multiline = text[object.byte_range()].contains('\n');
            match items.first() {
                Some(first) if multiline => {
                    let indent = indent_at(text, first.start_byte()).to_string();
                    lines(&indent, &mut edits, object.start_byte() + 1);
                }
                Some(first) => edits.push(Edit::insert(first.start_byte(), inline_text(""))),
                None if multiline => {
                    let indent = format!("{}{}", indent_at(text, object.start_byte()), style.indent);
                    lines(&indent, &mut edits, object.start_byte() + 1);
                }
                None => edits.push(Edit::replace(object.byte_range(), format!("{{{} }}", inline_text(" ")))),
            }
        }
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reindents_moved_values() {
        assert_eq!(reindent("[\n      'a',\n    ]", "    ", "  "), "[\n    'a',\n  ]");
        assert_eq!(reindent("[\n\t'a',\n]", "    ", "  "), "[\n\t'a',\n]");
    }
}
