//! The file's own habits, so inserted code looks like the code around it.

/// Quote character, statement terminator, indentation unit and line ending of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Style {
    pub quote: char,
    pub semicolons: bool,
    pub indent: String,
    pub newline: &'static str,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            quote: '\'',
            semicolons: true,
            indent: "  ".into(),
            newline: "\n",
        }
    }
}

impl Style {
    /// Reads the habits off the text. Imports and directives decide quotes and semicolons first,
    /// because inserted code is mostly imports and directives.
    pub fn detect(text: &str) -> Style {
        let newline = match text.find('\n') {
            Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
            _ => "\n",
        };
        let mut quote = None;
        let mut semicolons = None;
        for line in text.lines().take(400) {
            let trimmed = line.trim();
            let is_import = trimmed.starts_with("import ")
                && (trimmed.contains(" from ") || trimmed.starts_with("import '") || trimmed.starts_with("import \""));
            let is_directive = trimmed.starts_with("'use ") || trimmed.starts_with("\"use ");
            if is_import || is_directive {
                if quote.is_none() {
                    quote = trimmed.chars().find(|&c| c == '\'' || c == '"');
                }
                if semicolons.is_none() && (trimmed.ends_with('\'') || trimmed.ends_with('"') || trimmed.ends_with(';'))
                {
                    semicolons = Some(trimmed.ends_with(';'));
                }
            }
            if quote.is_some() && semicolons.is_some() {
                break;
            }
        }
        let semicolons = semicolons.unwrap_or_else(|| guess_semicolons(text));
        let quote = quote.unwrap_or_else(|| guess_quote(text));
        Style {
            quote,
            semicolons,
            indent: detect_indent(text),
            newline,
        }
    }

    pub fn semi(&self) -> &'static str {
        if self.semicolons { ";" } else { "" }
    }

    /// A string literal in the file's quote style (the value holds no quotes or backslashes).
    pub fn string(&self, value: &str) -> String {
        format!("{q}{value}{q}", q = self.quote)
    }
}

fn guess_semicolons(text: &str) -> bool {
    let mut with = 0;
    let mut without = 0;
    for line in text.lines().take(400) {
        let t = line.trim_end();
        if t.starts_with("const ")
            || t.starts_with("let ")
            || t.starts_with("return ")
            || t.trim_start().starts_with("const ")
        {
            if t.ends_with(';') {
                with += 1;
            } else if !t.ends_with('{')
                && !t.ends_with('(')
                && !t.ends_with(',')
                && !t.ends_with('=')
                && !t.ends_with('[')
            {
                without += 1;
            }
        }
    }
    with >= without
}

fn guess_quote(text: &str) -> char {
    let singles = text.matches('\'').count();
    let doubles = text.matches('"').count();
    if doubles > singles { '"' } else { '\'' }
}

fn detect_indent(text: &str) -> String {
    for line in text.lines() {
        let rest = line.trim_start_matches([' ', '\t']);
        if rest.is_empty() || rest.starts_with('*') {
            continue;
        }
        let width = line.len() - rest.len();
        if width == 0 {
            continue;
        }
        if line.starts_with('\t') {
            return "\t".into();
        }
        return " ".repeat(width.clamp(2, 8));
    }
    "  ".into()
}

/// The whitespace at the start of the line holding `offset`.
pub fn indent_at(text: &str, offset: usize) -> &str {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..];
    let width = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[..width]
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quotes_semicolons_indent_and_newlines() {
        let style = Style::detect("\"use client\"\r\nimport { a } from \"b\"\r\nfunction f() {\r\n\treturn a\r\n}\r\n");
        assert_eq!(
            style,
            Style {
                quote: '"',
                semicolons: false,
                indent: "\t".into(),
                newline: "\r\n"
            }
        );
        let style = Style::detect("import x from 'y';\n\nexport function f() {\n    return x;\n}\n");
        assert_eq!(
            style,
            Style {
                quote: '\'',
                semicolons: true,
                indent: "    ".into(),
                newline: "\n"
            }
        );
    }

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
}
