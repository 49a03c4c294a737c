//! An editor's buffer: its text, kept in step with incremental changes, and the conversions
//! between byte offsets (what the rules speak) and LSP positions (lines and UTF-16 code units,
//! what every client speaks), and between `file:` URIs and paths.

use lsp_types::{Position, Range, TextDocumentContentChangeEvent, Uri};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where each line starts, for one text.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = crate::fix::floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let character = self.text[self.starts[line]..offset].encode_utf16().count();
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, range: std::ops::Range<usize>) -> Range {
        Range::new(self.position(range.start), self.position(range.end))
    }

    /// The byte offset of a position; past the end of a line is its end (before the newline),
    /// past the last line is the end of the text, as the protocol asks.
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .map_or(self.text.len(), |next| next - 1);
        let mut units = 0;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }
}

/// Applies one change of `textDocument/didChange`: a range and its new text, or (no range)
/// the whole new text.
pub fn apply_change(text: &mut String, change: &TextDocumentContentChangeEvent) {
    match change.range {
        Some(range) => {
            let index = LineIndex::new(text);
            let (start, end) = (index.offset(range.start), index.offset(range.end));
            let (start, end) = (start.min(end), start.max(end));
            text.replace_range(start..end, &change.text);
        }
        None => *text = change.text.clone(),
    }
}

/// The URIs a client sends, as it spells them. Some send characters a URI may not hold as they
/// are: Helix (the `url` crate) leaves the brackets of `app/posts/[id]/page.tsx` unencoded, which
/// a strict parser rejects, so every Next.js dynamic route would be ignored. Such URIs are
/// encoded on the way in and given back as the client spelt them on the way out.
#[derive(Default)]
pub struct ClientUris {
    /// Encoded spelling → the client's.
    originals: HashMap<String, String>,
}

impl ClientUris {
    /// Makes every `uri` in a message from the client parseable.
    pub fn accept(&mut self, value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (key, item) in map.iter_mut() {
                    match item {
                        Value::String(text) if key == "uri" && text.parse::<Uri>().is_err() => {
                            let encoded = encode_invalid(text);
                            self.originals.insert(encoded.clone(), std::mem::replace(text, encoded));
                        }
                        _ => self.accept(item),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|item| self.accept(item)),
            _ => {}
        }
    }

    /// Gives the client's spellings back in a message to it (values and the keys of URI maps).
    pub fn restore(&self, value: &mut Value) {
        if self.originals.is_empty() {
            return;
        }
        match value {
            Value::String(text) => {
                if let Some(original) = self.originals.get(text.as_str()) {
                    *text = original.clone();
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|item| self.restore(item)),
            Value::Object(map) => {
                let entries = std::mem::take(map);
                for (key, mut item) in entries {
                    self.restore(&mut item);
                    let key = self.originals.get(&key).cloned().unwrap_or(key);
                    map.insert(key, item);
                }
            }
            _ => {}
        }
    }
}

/// A URI with the characters it may not hold as they are percent-encoded (`%` kept: what is
/// encoded already stays so).
fn encode_invalid(uri: &str) -> String {
    let mut out = String::with_capacity(uri.len());
    for c in uri.chars() {
        if c.is_ascii_alphanumeric() || "-._~:/?#@!$&'()*+,;=%".contains(c) {
            out.push(c);
        } else {
            let mut buffer = [0; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

/// The path of a `file:` URI (`None` for another scheme).
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // An authority of `localhost` names this machine; any other is a remote file.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let bytes = rest.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).and_then(|&b| hex(b)),
            bytes.get(i + 2).and_then(|&b| hex(b)),
        ) {
            (b'%', Some(high), Some(low)) => {
                decoded.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    let decoded = String::from_utf8(decoded).ok()?;
    // `file:///C:/x` on Windows: the drive comes after the slash.
    if cfg!(windows) && decoded.as_bytes().get(2) == Some(&b':') {
        return Some(PathBuf::from(&decoded[1..]));
    }
    Some(PathBuf::from(decoded))
}

/// The `file:` URI of an absolute path.
pub fn uri_of(path: &Path) -> Option<Uri> {
    let text = path.to_string_lossy().replace('\\', "/");
    let text = if text.starts_with('/') {
        text
    } else {
        format!("/{text}")
    };
    format!("file://{}", crate::report::percent_encoded(&text)).parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "a\né😀x\n\nlast";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.position(x), Position::new(1, 3));
        assert_eq!(index.offset(Position::new(1, 3)), x);
        assert_eq!(
            index.offset(Position::new(1, 99)),
            x + 1,
            "past the line's end: before its newline"
        );
        assert_eq!(index.offset(Position::new(9, 0)), text.len());
        assert_eq!(index.position(text.len()), Position::new(3, 4));
        for offset in 0..=text.len() {
            if text.is_char_boundary(offset) {
                assert_eq!(index.offset(index.position(offset)), offset);
            }
        }
    }

    #[test]
    fn applies_incremental_changes() {
        let mut text = String::from("const a = 1;\nconst b = 2;\n");
        let change = |range: Option<Range>, text: &str| TextDocumentContentChangeEvent {
            range,
            range_length: None,
            text: text.into(),
        };
        apply_change(
            &mut text,
            &change(Some(Range::new(Position::new(1, 6), Position::new(1, 7))), "bee"),
        );
        assert_eq!(text, "const a = 1;\nconst bee = 2;\n");
        apply_change(
            &mut text,
            &change(Some(Range::new(Position::new(2, 0), Position::new(2, 0))), "x;"),
        );
        assert_eq!(text, "const a = 1;\nconst bee = 2;\nx;");
        apply_change(&mut text, &change(None, "new"));
        assert_eq!(text, "new");
    }

    #[test]
    fn client_uris_with_brackets_are_taken_and_given_back() {
        let raw = "file:///app/posts/[id]/page.tsx";
        assert!(raw.parse::<Uri>().is_err(), "a strict parser rejects it");
        let mut uris = ClientUris::default();
        let mut message = serde_json::json!({ "textDocument": { "uri": raw, "version": 1 } });
        uris.accept(&mut message);
        let encoded = message["textDocument"]["uri"].as_str().unwrap().to_string();
        assert_eq!(encoded, "file:///app/posts/%5Bid%5D/page.tsx");
        let uri: Uri = encoded.parse().unwrap();
        assert_eq!(path_of(&uri), Some(PathBuf::from("/app/posts/[id]/page.tsx")));
        let mut reply = serde_json::json!({ "uri": encoded, "changes": { encoded.clone(): [] } });
        uris.restore(&mut reply);
        assert_eq!(reply, serde_json::json!({ "uri": raw, "changes": { raw: [] } }));
    }

    #[test]
    fn uris_and_paths() {
        let uri: Uri = "file:///home/me/app/posts/%5Bid%5D/page%20one.tsx".parse().unwrap();
        assert_eq!(
            path_of(&uri),
            Some(PathBuf::from("/home/me/app/posts/[id]/page one.tsx"))
        );
        let back = uri_of(Path::new("/home/me/app/posts/[id]/page one.tsx")).unwrap();
        assert_eq!(
            path_of(&back),
            Some(PathBuf::from("/home/me/app/posts/[id]/page one.tsx"))
        );
        let other: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(path_of(&other), None);
    }
}
