//! Bytes → source text, in one place for both phases: a file that is not UTF-8 code (UTF-16,
//! binary, minified, bad UTF-8) gets a typed reason it is skipped, never a guess at its text.
//! The fingerprint of the bytes read is made here too, so a write can tell a file changed since.

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};

/// Length and hash of the bytes that were read.
pub type Fingerprint = (u64, u64);

/// A file's text as the transforms see it: UTF-8, without a byte-order mark.
#[derive(Debug)]
pub struct Source {
    pub text: String,
    /// It started with a UTF-8 byte-order mark (put back when the file is written).
    pub bom: bool,
    pub fingerprint: Fingerprint,
}

/// Why a file's bytes are not read as code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotSource {
    /// It starts with a UTF-16 byte-order mark.
    Utf16,
    /// Its first 8 KiB hold a NUL byte.
    Binary,
    /// Big, with very long lines: build output.
    Minified { bytes: usize, lines: usize },
    /// Not valid UTF-8 from this byte offset.
    BadUtf8 { offset: usize },
}

impl fmt::Display for NotSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotSource::Utf16 => f.write_str(
                "UTF-16 text (it starts with a UTF-16 byte-order mark); nothing was changed — save it as UTF-8 to migrate it",
            ),
            NotSource::Binary => f.write_str("binary file (it holds NUL bytes); nothing was changed"),
            NotSource::Minified { bytes, lines } => write!(
                f,
                "looks minified ({:.1} MB in {} line{}); nothing was changed — migrate its source instead",
                *bytes as f64 / 1e6,
                lines,
                if *lines == 1 { "" } else { "s" }
            ),
            NotSource::BadUtf8 { offset } => {
                write!(f, "not valid UTF-8 (first bad byte at offset {offset}); nothing was changed")
            }
        }
    }
}

/// The source of a file the transforms may edit: UTF-16, binary and minified files are refused
/// before their bytes are decoded.
pub fn decode(bytes: Vec<u8>) -> Result<Source, NotSource> {
    if utf16_text(&bytes[..bytes.len().min(2)]).is_some() {
        return Err(NotSource::Utf16);
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(NotSource::Binary);
    }
    if let Some(reason) = minified(&bytes) {
        return Err(reason);
    }
    decode_utf8(bytes)
}

/// The source of UTF-8 bytes, the byte-order mark taken off (a sibling module the folder phase
/// reads from disk is only appended to, so only its encoding is checked).
pub fn decode_utf8(bytes: Vec<u8>) -> Result<Source, NotSource> {
    let fingerprint = fingerprint(&bytes);
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            return Err(NotSource::BadUtf8 {
                offset: error.utf8_error().valid_up_to(),
            });
        }
    };
    let (bom, text) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (true, rest.to_string()),
        None => (false, text),
    };
    Ok(Source { text, bom, fingerprint })
}

/// The bytes the prefilter searches: UTF-16 is decoded so that a file holding a transform's
/// words is not passed over silently (the file phase then skips it with a finding).
pub fn searchable(bytes: &[u8]) -> Cow<'_, [u8]> {
    match utf16_text(bytes) {
        Some(text) => Cow::Owned(text.into_bytes()),
        None => Cow::Borrowed(bytes),
    }
}

pub fn fingerprint(bytes: &[u8]) -> Fingerprint {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    (bytes.len() as u64, hasher.finish())
}

/// The text of a file that starts with a UTF-16 byte-order mark.
fn utf16_text(bytes: &[u8]) -> Option<String> {
    let (body, little_endian) = match bytes {
        [0xff, 0xfe, body @ ..] => (body, true),
        [0xfe, 0xff, body @ ..] => (body, false),
        _ => return None,
    };
    let units: Vec<u16> = body
        .chunks_exact(2)
        .map(|pair| {
            let pair = [pair[0], pair[1]];
            if little_endian {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        })
        .collect();
    Some(String::from_utf16_lossy(&units))
}

/// Files at least this big are looked at for minification.
const MINIFIED_MIN_BYTES: usize = 1 << 20;
/// ... and skipped when their lines are this long on average.
const MINIFIED_MEAN_LINE: usize = 1000;

/// Whether a file is skipped as minified: a bundle is build output, not code to migrate, and its
/// megabyte-long lines make every step slow for nothing.
pub fn minified(bytes: &[u8]) -> Option<NotSource> {
    if bytes.len() < MINIFIED_MIN_BYTES {
        return None;
    }
    let lines = bytes.iter().filter(|&&b| b == b'\n').count() + usize::from(!bytes.ends_with(b"\n"));
    if bytes.len() / lines < MINIFIED_MEAN_LINE {
        return None;
    }
    Some(NotSource::Minified {
        bytes: bytes.len(),
        lines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_minified_files_and_utf16_apart() {
        let bundle = "var a=1;".repeat(200_000) + "\nvar b=2;\n";
        assert_eq!(
            minified(bundle.as_bytes()).map(|reason| reason.to_string()).as_deref(),
            Some("looks minified (1.6 MB in 2 lines); nothing was changed — migrate its source instead")
        );
        let long_source = "const a = 1;\n".repeat(200_000);
        assert_eq!(minified(long_source.as_bytes()), None);
        let mut le = vec![0xff, 0xfe];
        le.extend("use".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(utf16_text(&le).as_deref(), Some("use"));
        let mut be = vec![0xfe, 0xff];
        be.extend("use".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(utf16_text(&be).as_deref(), Some("use"));
        assert_eq!(utf16_text(b"use"), None);
    }

    #[test]
    fn decodes_utf8_and_takes_the_byte_order_mark_off() {
        let source = decode(b"\xef\xbb\xbfconst a = 1;\n".to_vec()).expect("UTF-8");
        assert_eq!((source.text.as_str(), source.bom), ("const a = 1;\n", true));
        assert_eq!(decode(b"a\0b".to_vec()).unwrap_err(), NotSource::Binary);
        assert_eq!(decode(vec![0xff, 0xfe, b'a', 0]).unwrap_err(), NotSource::Utf16);
        assert_eq!(
            decode(b"ok \xff".to_vec()).unwrap_err(),
            NotSource::BadUtf8 { offset: 3 }
        );
    }
}
