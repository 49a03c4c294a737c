//! The fix model, the one place edits live: an `Edit` is a byte range plus its replacement; a
//! `Fix` is the edits of one site that belong together, checked for overlaps when built; a
//! `Change` is edits to several files plus files to create, applied or refused whole. A rule's
//! `Outcome` is its fixes plus the findings a person must act on by hand.

use crate::target::Needs;
use std::path::{Path, PathBuf};

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

/// `edits` sorted by position, insertions at one point in their given order.
fn sorted(edits: &[Edit]) -> Vec<&Edit> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.start, e.end));
    sorted
}

/// The first two of `sorted` edits that share bytes, or an insertion strictly inside a
/// replacement. Touching is fine: an insertion at either end of a replacement goes beside it.
fn first_overlap(sorted: &[&Edit]) -> Option<ApplyError> {
    sorted
        .windows(2)
        .find(|pair| pair[1].start < pair[0].end)
        .map(|pair| ApplyError::Overlap {
            first: (pair[0].start, pair[0].end),
            second: (pair[1].start, pair[1].end),
        })
}

/// Applies `edits` to `text`. Edits are sorted by position (insertions at one point keep their
/// order); two edits whose ranges overlap are refused, never spliced.
pub fn apply_edits(text: &str, edits: &[Edit]) -> Result<String, ApplyError> {
    let sorted = sorted(edits);
    for (i, edit) in sorted.iter().enumerate() {
        let in_bounds = edit.start <= edit.end
            && edit.end <= text.len()
            && text.is_char_boundary(edit.start)
            && text.is_char_boundary(edit.end);
        if !in_bounds {
            return Err(ApplyError::OutOfBounds((edit.start, edit.end)));
        }
        if i > 0
            && let Some(overlap) = first_overlap(&sorted[i - 1..=i])
        {
            return Err(overlap);
        }
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

/// The edits of one site that belong together: applied whole or not at all. Its edits never
/// overlap one another (checked when it is built).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    title: String,
    edits: Vec<Edit>,
}

impl Fix {
    /// A fix of `edits`, in the order given (insertions at one point keep it), or the overlap
    /// that makes them impossible to apply together.
    pub fn new(title: impl Into<String>, edits: Vec<Edit>) -> Result<Fix, ApplyError> {
        if let Some(overlap) = first_overlap(&sorted(&edits)) {
            return Err(overlap);
        }
        Ok(Fix {
            title: title.into(),
            edits,
        })
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn edits(&self) -> &[Edit] {
        &self.edits
    }

    pub fn is_empty(&self) -> bool {
        self.edits.is_empty()
    }
}

/// Whether two edits cannot both be applied (the rule of [`apply_edits`]).
fn conflict(a: &Edit, b: &Edit) -> bool {
    let (first, second) = if (a.start, a.end) <= (b.start, b.end) {
        (a, b)
    } else {
        (b, a)
    };
    second.start < first.end
}

/// Picks the fixes that can be applied together, in order: a fix that overlaps one already
/// picked waits (`deferred` counts them; the rule finds them again on the next round's text).
/// An edit identical to one a picked fix makes is made once.
pub fn merge_fixes(fixes: &[Fix]) -> Merged {
    let mut merged = Merged::default();
    let mut owner: Vec<usize> = Vec::new();
    for (index, fix) in fixes.iter().enumerate() {
        let mut own: Vec<Edit> = Vec::new();
        let mut clashes = false;
        for edit in &fix.edits {
            let shared = merged
                .edits
                .iter()
                .zip(&owner)
                .any(|(picked, by)| *by != index && picked == edit);
            if shared {
                continue;
            }
            if merged.edits.iter().any(|picked| conflict(picked, edit)) {
                clashes = true;
                break;
            }
            own.push(edit.clone());
        }
        if clashes {
            merged.deferred += 1;
            continue;
        }
        owner.extend(std::iter::repeat_n(index, own.len()));
        merged.edits.extend(own);
    }
    merged
}

/// What [`merge_fixes`] made of a round's fixes.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The edits of the picked fixes, in fix order.
    pub edits: Vec<Edit>,
    /// Fixes left for the next round.
    pub deferred: usize,
}

/// Edits to several files and files to create, applied or refused as one (rust-analyzer's
/// `SourceChange`): "create actions.ts, edit the client".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    pub title: String,
    /// Edits per existing file, offsets into the text the rule was given.
    pub edits: Vec<(PathBuf, Vec<Edit>)>,
    /// New files and their whole text.
    pub creates: Vec<(PathBuf, String)>,
}

impl Change {
    pub fn new(title: impl Into<String>) -> Change {
        Change {
            title: title.into(),
            ..Change::default()
        }
    }

    /// Adds edits to `path` (joined with earlier ones to it), refusing edits that overlap.
    pub fn edit(&mut self, path: &Path, edits: Vec<Edit>) -> Result<(), ApplyError> {
        match self.edits.iter_mut().find(|(p, _)| p == path) {
            Some((_, existing)) => {
                let mut joined = existing.clone();
                joined.extend(edits);
                if let Some(overlap) = first_overlap(&sorted(&joined)) {
                    return Err(overlap);
                }
                *existing = joined;
            }
            None => {
                if let Some(overlap) = first_overlap(&sorted(&edits)) {
                    return Err(overlap);
                }
                self.edits.push((path.to_path_buf(), edits));
            }
        }
        Ok(())
    }

    pub fn create(&mut self, path: &Path, text: impl Into<String>) {
        self.creates.push((path.to_path_buf(), text.into()));
    }

    /// Every path the change writes, edited or created.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.edits
            .iter()
            .map(|(p, _)| p.as_path())
            .chain(self.creates.iter().map(|(p, _)| p.as_path()))
    }

    pub fn is_empty(&self) -> bool {
        self.edits.iter().all(|(_, e)| e.is_empty()) && self.creates.is_empty()
    }
}

/// Maps offsets in an edited text back to the text before the edits, so that findings made on a
/// transform's output point into the user's input.
#[derive(Debug, Default, Clone)]
pub struct OffsetMap {
    /// Each layer: sorted (start, old_end, new_len) of one application.
    layers: Vec<Vec<(usize, usize, usize)>>,
}

impl OffsetMap {
    pub fn push(&mut self, edits: &[Edit]) {
        let mut layer: Vec<_> = edits.iter().map(|e| (e.start, e.end, e.text.len())).collect();
        layer.sort_unstable();
        self.layers.push(layer);
    }

    pub fn to_original(&self, mut offset: usize) -> usize {
        for layer in self.layers.iter().rev() {
            let mut shift: isize = 0;
            let mut inside_edit = None;
            for &(start, old_end, new_len) in layer {
                let new_start = (start as isize + shift) as usize;
                if offset < new_start {
                    break;
                }
                if offset < new_start + new_len {
                    // Inside inserted text: point at the start of what it replaced.
                    inside_edit = Some(start);
                    break;
                }
                shift += new_len as isize - (old_end - start) as isize;
            }
            offset = inside_edit.unwrap_or_else(|| (offset as isize - shift).max(0) as usize);
        }
        offset
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

/// What one rule made of one file: its fixes, one per site, and its findings.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    pub fixes: Vec<Fix>,
    pub notes: Vec<Note>,
    /// The versions the emitted code needs (the engine warns about package.json files that lag).
    pub needs: Needs,
    /// Changes not made because the target (`--to`) is older than what they need.
    pub held_back: usize,
    /// A fix the rule could not build (its edits overlap): a bug in the rule, and the file is
    /// left alone with a finding that says so.
    pub broken: Option<ApplyError>,
    /// The rule's output, once these fixes are made, gives it nothing more to do: the engine
    /// need not run it again on that text. Only a rule that knows it says so.
    pub settles: bool,
}

impl Outcome {
    pub fn note(&mut self, offset: usize, message: impl Into<String>) {
        self.notes.push(Note::at(offset, message));
    }

    /// Adds the fix of `edits` (nothing when there are none); edits that overlap mark the
    /// outcome broken instead.
    pub fn fix(&mut self, title: impl Into<String>, edits: Vec<Edit>) {
        if edits.is_empty() {
            return;
        }
        match Fix::new(title, edits) {
            Ok(fix) => self.fixes.push(fix),
            Err(error) => {
                self.broken.get_or_insert(error);
            }
        }
    }

    /// Every edit of every fix, in order (tests apply them in one go).
    pub fn all_edits(&self) -> Vec<Edit> {
        self.fixes.iter().flat_map(|f| f.edits.iter().cloned()).collect()
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

    #[test]
    fn maps_offsets_back_through_layers() {
        let text = "aaa bbb ccc";
        let first = vec![Edit::replace(4..7, "BBBBB")];
        let once = apply_edits(text, &first).unwrap();
        let second = vec![Edit::insert(0, "xx")];
        let twice = apply_edits(&once, &second).unwrap();
        assert_eq!(twice, "xxaaa BBBBB ccc");
        let mut map = OffsetMap::default();
        map.push(&first);
        map.push(&second);
        assert_eq!(map.to_original(twice.find("ccc").unwrap()), 8);
        assert_eq!(map.to_original(twice.find("aaa").unwrap()), 0);
        assert_eq!(map.to_original(twice.find("BBBBB").unwrap() + 3), 4);
    }
    #[test]
    fn a_fix_refuses_overlapping_edits_when_built() {
        assert_eq!(
            Fix::new("x", vec![Edit::replace(0..5, "a"), Edit::insert(3, "b")]),
            Err(ApplyError::Overlap {
                first: (0, 5),
                second: (3, 3)
            })
        );
        assert!(Fix::new("x", vec![Edit::replace(0..5, "a"), Edit::insert(5, "b")]).is_ok());
    }

    #[test]
    fn overlapping_fixes_wait_and_identical_edits_are_made_once() {
        let import = Edit::insert(0, "import x;\n");
        let fixes = vec![
            Fix::new("first", vec![import.clone(), Edit::replace(10..20, "a")]).unwrap(),
            Fix::new("inside the first", vec![Edit::replace(12..14, "b")]).unwrap(),
            Fix::new("elsewhere", vec![import.clone(), Edit::delete(30..32)]).unwrap(),
        ];
        let merged = merge_fixes(&fixes);
        assert_eq!(merged.deferred, 1);
        assert_eq!(
            merged.edits,
            vec![import, Edit::replace(10..20, "a"), Edit::delete(30..32)]
        );
    }

    #[test]
    fn a_change_joins_edits_per_path_and_refuses_overlaps() {
        let mut change = Change::new("move");
        let client = Path::new("app/page.tsx");
        change.edit(client, vec![Edit::delete(0..4)]).unwrap();
        change.edit(client, vec![Edit::insert(4, "x")]).unwrap();
        assert!(change.edit(client, vec![Edit::insert(2, "y")]).is_err());
        change.create(Path::new("app/actions.ts"), "'use server';\n");
        assert_eq!(change.edits[0].1.len(), 2);
        let paths: Vec<_> = change.paths().collect();
        assert_eq!(paths, [client, Path::new("app/actions.ts")]);
    }
}
