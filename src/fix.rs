//! The fix model: an `Edit` is a byte range plus its replacement; a transform's `Outcome` is the
//! edits that belong together plus the findings a person must act on by hand; `apply_edits`
//! splices edits into a text, refusing overlaps (transforms use it too, so it lives here, below
//! them, not in the applier that runs them).

use crate::target::Needs;

/// Replace `start..end` of the current text with `text`. An insertion has `start == end`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl Edit {
    pub fn replace(range: std::ops::Range<usize>, text: impl Into<String>) -> Edit {
        Edit {
            start: range.start,
            end: range.end,
            text: text.into(),
        }
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit {
            start: at,
            end: at,
            text: text.into(),
        }
    }

    pub fn delete(range: std::ops::Range<usize>) -> Edit {
        Edit {
            start: range.start,
            end: range.end,
            text: String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    #[error("edits overlap: bytes {first:?} and {second:?}")]
    Overlap {
        first: (usize, usize),
        second: (usize, usize),
    },
    #[error("edit {0:?} is outside the text or splits a character")]
    OutOfBounds((usize, usize)),
}

/// Applies `edits` to `text`. Edits are sorted by position (insertions at one point keep their
/// order); two edits whose ranges overlap are refused, never spliced.
pub fn apply_edits(text: &str, edits: &[Edit]) -> Result<String, ApplyError> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.start, e.end));
    let mut previous: Option<&Edit> = None;
    for edit in &sorted {
        let in_bounds = edit.start <= edit.end
            && edit.end <= text.len()
            && text.is_char_boundary(edit.start)
            && text.is_char_boundary(edit.end);
        if !in_bounds {
            return Err(ApplyError::OutOfBounds((edit.start, edit.end)));
        }
        if let Some(prev) = previous {
            // Touching is fine (an insertion at either end of a replacement goes beside it);
            // sharing bytes, or an insertion strictly inside a replacement, is not.
            let overlaps = edit.start < prev.end;
            if overlaps {
                return Err(ApplyError::Overlap {
                    first: (prev.start, prev.end),
                    second: (edit.start, edit.end),
                });
            }
        }
        previous = Some(edit);
    }
    let mut out = String::with_capacity(text.len() + sorted.iter().map(|e| e.text.len()).sum::<usize>());
    let mut cursor = 0;
    for edit in sorted {
        out.push_str(&text[cursor..edit.start]);
        out.push_str(&edit.text);
        cursor = edit.end;
    }
    out.push_str(&text[cursor..]);
    Ok(out)
}

/// Something a person must look at: a byte offset into the text the transform saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub offset: usize,
    pub message: String,
}

impl Note {
    pub fn at(offset: usize, message: impl Into<String>) -> Note {
        Note {
            offset,
            message: message.into(),
        }
    }
}

/// What one transform made of one file.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    pub edits: Vec<Edit>,
    pub notes: Vec<Note>,
    /// The versions the emitted code needs (the engine warns about package.json files that lag).
    pub needs: Needs,
    /// Changes not made because the target (`--to`) is older than what they need.
    pub held_back: usize,
}

impl Outcome {
    pub fn note(&mut self, offset: usize, message: impl Into<String>) {
        self.notes.push(Note::at(offset, message));
    }
}

/// A finding as the user sees it: 1-based line and column in the input file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Finding {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub transform: String,
    pub message: String,
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_sorted_edits() {
        let edits = vec![
            Edit::replace(6..11, "there"),
            Edit::insert(0, ">> "),
            Edit::delete(5..6),
        ];
        assert_eq!(apply_edits("hello world", &edits).unwrap(), ">> hellothere");
    }

    #[test]
    fn refuses_overlapping_edits() {
        let edits = vec![Edit::replace(0..5, "a"), Edit::replace(3..8, "b")];
        assert_eq!(
            apply_edits("hello world", &edits),
            Err(ApplyError::Overlap {
                first: (0, 5),
                second: (3, 8)
            })
        );
    }

    #[test]
    fn refuses_insertion_inside_a_replacement() {
        let edits = vec![Edit::replace(2..6, "x"), Edit::insert(4, "y")];
        assert!(matches!(
            apply_edits("hello world", &edits),
            Err(ApplyError::Overlap { .. })
        ));
        let edits = vec![Edit::replace(2..6, "x"), Edit::insert(2, "y"), Edit::insert(6, "z")];
        assert_eq!(apply_edits("hello world", &edits).unwrap(), "heyxzworld");
    }

    #[test]
    fn touching_edits_and_insertions_at_one_point_are_fine() {
        let edits = vec![
            Edit::replace(0..5, "A"),
            Edit::replace(5..6, "_"),
            Edit::insert(11, "!"),
            Edit::insert(11, "?"),
        ];
        assert_eq!(apply_edits("hello world", &edits).unwrap(), "A_world!?");
    }

    #[test]
    fn refuses_out_of_bounds_and_split_characters() {
        assert!(matches!(
            apply_edits("abc", &[Edit::delete(2..9)]),
            Err(ApplyError::OutOfBounds(_))
        ));
        assert!(matches!(
            apply_edits("é", &[Edit::delete(0..1)]),
            Err(ApplyError::OutOfBounds(_))
        ));
    }
}
