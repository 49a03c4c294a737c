//! Grammars, one parser of each per worker thread, and incremental re-parsing after edits.

use crate::fix::Edit;
use std::path::Path;
use std::sync::LazyLock;
use tree_sitter::{InputEdit, Language, Parser, Point, Tree};

/// Which tree-sitter grammar a file needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// `.ts .mts .cts`: TypeScript without JSX (`<T>x` is a cast there).
    TypeScript,
    /// `.tsx` and every JavaScript extension: TSX parses JSX and plain JavaScript alike.
    Tsx,
}

static TYPESCRIPT: LazyLock<Language> = LazyLock::new(|| tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into());
static TSX: LazyLock<Language> = LazyLock::new(|| tree_sitter_typescript::LANGUAGE_TSX.into());

impl Lang {
    pub fn from_path(path: &Path) -> Option<Lang> {
        match path.extension()?.to_str()? {
            "ts" | "mts" | "cts" => Some(Lang::TypeScript),
            "tsx" | "js" | "jsx" | "mjs" | "cjs" => Some(Lang::Tsx),
            _ => None,
        }
    }

    pub fn language(self) -> &'static Language {
        match self {
            Lang::TypeScript => &TYPESCRIPT,
            Lang::Tsx => &TSX,
        }
    }

    pub fn index(self) -> usize {
        match self {
            Lang::TypeScript => 0,
            Lang::Tsx => 1,
        }
    }
}

/// Whether the file is TypeScript (may carry type annotations) rather than JavaScript.
pub fn is_typescript(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("ts" | "tsx" | "mts" | "cts")
    )
}

/// One parser per grammar; each worker thread owns one `Parsers`.
pub struct Parsers {
    typescript: Parser,
    tsx: Parser,
}

impl Default for Parsers {
    fn default() -> Self {
        Parsers::new()
    }
}

impl Parsers {
    pub fn new() -> Parsers {
        let make = |lang: Lang| {
            let mut parser = Parser::new();
            parser
                .set_language(lang.language())
                .expect("the bundled grammar matches the tree-sitter version");
            parser
        };
        Parsers {
            typescript: make(Lang::TypeScript),
            tsx: make(Lang::Tsx),
        }
    }

    pub fn parse(&mut self, lang: Lang, text: &str, old: Option<&Tree>) -> Option<Tree> {
        let parser = match lang {
            Lang::TypeScript => &mut self.typescript,
            Lang::Tsx => &mut self.tsx,
        };
        parser.parse(text, old)
    }
}

/// Tells `tree` (a parse of `old_text`) about `edits`, so that the next parse can reuse it.
pub fn edit_tree(tree: &mut Tree, old_text: &str, edits: &[Edit]) {
    let lines = LineIndex::new(old_text);
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    // Last edit first: every edit's old positions stay valid while the later ones are applied.
    sorted.sort_by_key(|e| std::cmp::Reverse((e.start, e.end)));
    for edit in sorted {
        let start_position = lines.point(edit.start);
        let old_end_position = lines.point(edit.end);
        let new_end_position = advance(start_position, &edit.text);
        tree.edit(&InputEdit {
            start_byte: edit.start,
            old_end_byte: edit.end,
            new_end_byte: edit.start + edit.text.len(),
            start_position,
            old_end_position,
            new_end_position,
        });
    }
}

fn advance(mut point: Point, text: &str) -> Point {
    match text.rfind('\n') {
        Some(last) => {
            point.row += text.bytes().filter(|&b| b == b'\n').count();
            point.column = text.len() - last - 1;
        }
        None => point.column += text.len(),
    }
    point
}

struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    fn point(&self, offset: usize) -> Point {
        let row = self.starts.partition_point(|&s| s <= offset) - 1;
        Point {
            row,
            column: offset - self.starts[row],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply_edits;

    #[test]
    fn incremental_reparse_matches_a_fresh_parse() {
        let mut parsers = Parsers::new();
        let old = "import { a } from 'x';\nconst b = a(1);\nfunction f() {\n  return b;\n}\n";
        let edits = vec![
            Edit::replace(9..10, "alpha"),
            Edit::insert(old.len(), "f();\n"),
            Edit::replace(35..36, "2\n+ 3"),
        ];
        let new = apply_edits(old, &edits).unwrap();
        let mut tree = parsers.parse(Lang::TypeScript, old, None).unwrap();
        edit_tree(&mut tree, old, &edits);
        let incremental = parsers.parse(Lang::TypeScript, &new, Some(&tree)).unwrap();
        let fresh = parsers.parse(Lang::TypeScript, &new, None).unwrap();
        assert_eq!(incremental.root_node().to_sexp(), fresh.root_node().to_sexp());
        assert!(!incremental.root_node().has_error());
    }

    #[test]
    fn grammar_by_extension() {
        assert_eq!(Lang::from_path(Path::new("a/b.mts")), Some(Lang::TypeScript));
        assert_eq!(Lang::from_path(Path::new("a/b.cjs")), Some(Lang::Tsx));
        assert_eq!(Lang::from_path(Path::new("a/b.css")), None);
        assert_eq!(Lang::from_path(Path::new("Makefile")), None);
    }
}
