//! The fix model: an `Edit` is a byte range plus its replacement; a transform's `Outcome` is the
//! edits that belong together plus the findings a person must act on by hand.

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
