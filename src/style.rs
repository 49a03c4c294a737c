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
    /// Reads the habits off the text. Import statements decide quotes and semicolons first,
    /// because inserted code is mostly imports; the directive (`'use client'`) only in a file
    /// without imports (a directive's quotes often differ from the code's: `"use client"` above
    /// `import x from 'y'`).
    pub fn detect(text: &str) -> Style {
        let newline = match text.find('\n') {
            Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
            _ => "\n",
        };
        let mut imports = Habits::default();
        let mut directives = Habits::default();
        for line in text.lines().take(400) {
            let trimmed = line.trim();
            let is_import = (trimmed.starts_with("import ")
                && (trimmed.contains(" from ") || trimmed.starts_with("import '") || trimmed.starts_with("import \"")))
                // The last line of an import that spans lines.
                || trimmed.starts_with("} from ");
            let is_directive = trimmed.starts_with("'use ") || trimmed.starts_with("\"use ");
            if is_import {
                imports.read(trimmed);
            } else if is_directive {
                directives.read(trimmed);
            }
            if imports.quote.is_some() && imports.semicolons.is_some() {
                break;
            }
        }
        let semicolons = imports
            .semicolons
            .or(directives.semicolons)
            .unwrap_or_else(|| guess_semicolons(text));
        let quote = imports.quote.or(directives.quote).unwrap_or_else(|| guess_quote(text));
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

/// The quote and semicolon habit of one kind of line (imports, or directives), first seen first.
#[derive(Default)]
struct Habits {
    quote: Option<char>,
    semicolons: Option<bool>,
}

impl Habits {
    fn read(&mut self, line: &str) {
        if self.quote.is_none() {
            self.quote = line.chars().find(|&c| c == '\'' || c == '"');
        }
        if self.semicolons.is_none() && (line.ends_with('\'') || line.ends_with('"') || line.ends_with(';')) {
            self.semicolons = Some(line.ends_with(';'));
        }
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
    fn imports_decide_over_the_directive() {
        let style = Style::detect("\"use client\"\n\nimport { a } from 'b';\nimport {\n  c,\n} from 'd';\n");
        assert_eq!((style.quote, style.semicolons), ('\'', true));
        // A multi-line import alone still counts.
        let style = Style::detect("'use client'\nimport {\n  c,\n} from \"d\";\n");
        assert_eq!((style.quote, style.semicolons), ('"', true));
        // Without imports, the directive decides.
        let style = Style::detect("\"use server\"\n\nexport const a = 'x';\n");
        assert_eq!((style.quote, style.semicolons), ('"', false));
    }
}
