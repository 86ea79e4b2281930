//! Turning an uploaded file's bytes into text, as Excel and LibreOffice write it: UTF-8 with
//! or without a byte-order mark, UTF-16 (little- or big-endian, with a byte-order mark or
//! without one), or Windows-1252 (Excel's "CSV (comma delimited)" on Western European
//! systems). The user is told which one was used.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::domain::InvalidInput;

/// How the bytes of a file were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8WithBom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl TextEncoding {
    /// The encoding's name as a person knows it: "UTF-8", "UTF-16 (little-endian)", …
    pub fn label(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::Utf8WithBom => "UTF-8 with a byte-order mark",
            Self::Utf16Le => "UTF-16 (little-endian)",
            Self::Utf16Be => "UTF-16 (big-endian)",
            Self::Windows1252 => "Windows-1252",
        }
    }
}

/// A file's text, without its byte-order mark, and how it was read.
#[derive(Debug, Clone)]
pub struct DecodedText {
    pub text: String,
    pub encoding: TextEncoding,
}

/// Reads `bytes` as text: a byte-order mark decides first; then a NUL byte in every other
/// place means UTF-16 without one; then valid UTF-8 is UTF-8; anything else is Windows-1252.
///
/// Errors (each a sentence for the user): an empty file, a spreadsheet workbook instead of a
/// CSV file, UTF-16 that does not decode, and bytes that are not text at all.
pub fn decode(bytes: &[u8]) -> Result<DecodedText, InvalidInput> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(InvalidInput::new("The file is empty."));
    }
    if is_workbook(bytes) {
        return Err(InvalidInput::new(
            "This is a spreadsheet workbook (.xlsx, .xls or .ods), not a CSV file.",
        ));
    }
    let (encoding, body) = match Encoding::for_bom(bytes) {
        Some((found, bom)) => (found, &bytes[bom..]),
        None => (utf16_without_bom(bytes).unwrap_or(UTF_8), bytes),
    };
    let (text, encoding) = if encoding == UTF_8 {
        match std::str::from_utf8(body) {
            Ok(text) if body.len() < bytes.len() => (text.to_string(), TextEncoding::Utf8WithBom),
            Ok(text) => (text.to_string(), TextEncoding::Utf8),
            Err(_) => {
                let (text, _) = WINDOWS_1252.decode_without_bom_handling(body);
                (text.into_owned(), TextEncoding::Windows1252)
            }
        }
    } else {
        let (text, malformed) = encoding.decode_without_bom_handling(body);
        if malformed {
            return Err(InvalidInput::new(
                "The file starts like UTF-16 text but is damaged further on.",
            ));
        }
        let label = if encoding == UTF_16BE {
            TextEncoding::Utf16Be
        } else {
            TextEncoding::Utf16Le
        };
        (text.into_owned(), label)
    };
    if !looks_like_text(&text) {
        return Err(InvalidInput::new(
            "The file is not text: it looks like a picture, a document or other binary data.",
        ));
    }
    Ok(DecodedText { text, encoding })
}

/// ZIP (.xlsx, .ods) and OLE (.xls) files start with these bytes.
fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
}

/// UTF-16 without a byte-order mark, told by its NUL bytes: a file of mostly Latin text has a
/// NUL in every odd place (little-endian) or every even place (big-endian), and UTF-8 or
/// Windows-1252 text has none.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let zeros_at = |start: usize| {
        sample
            .iter()
            .skip(start)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    let mostly = |n: usize| n * 10 >= pairs * 4;
    let hardly = |n: usize| n * 10 <= pairs;
    match (mostly(even), mostly(odd)) {
        (false, true) if hardly(even) => Some(UTF_16LE),
        (true, false) if hardly(odd) => Some(UTF_16BE),
        _ => None,
    }
}

/// Text has no NUL and hardly any other control character (a stray one in a cell is allowed).
fn looks_like_text(text: &str) -> bool {
    let mut chars = 0usize;
    let mut odd = 0usize;
    for c in text.chars() {
        chars += 1;
        if c == '\0' {
            return false;
        }
        if (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFD}' {
            odd += 1;
        }
    }
    odd <= 2 || odd * 100 <= chars
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let units = bom.then_some(0xFEFF).into_iter().chain(text.encode_utf16());
        units
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    #[test]
    fn each_encoding_is_recognised() {
        let text = "organization,email\nÉlan Solidaire Genève,a@example.org\n";
        let cases = [
            (text.as_bytes().to_vec(), TextEncoding::Utf8),
            (
                [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
                TextEncoding::Utf8WithBom,
            ),
            (utf16(text, false, true), TextEncoding::Utf16Le),
            (utf16(text, true, true), TextEncoding::Utf16Be),
            (utf16(text, false, false), TextEncoding::Utf16Le),
            (utf16(text, true, false), TextEncoding::Utf16Be),
            (
                WINDOWS_1252.encode(text).0.into_owned(),
                TextEncoding::Windows1252,
            ),
        ];
        for (bytes, encoding) in cases {
            let decoded = decode(&bytes).unwrap();
            assert_eq!(decoded.encoding, encoding);
            assert_eq!(decoded.text, text, "{encoding:?}");
        }
    }

    #[test]
    fn what_is_not_text_is_refused_with_a_reason() {
        assert!(decode(b"").unwrap_err().0.contains("empty"));
        assert!(decode(b" \r\n").unwrap_err().0.contains("empty"));
        assert!(
            decode(b"PK\x03\x04rest")
                .unwrap_err()
                .0
                .contains("workbook")
        );
        let junk: Vec<u8> = (0..=255u8).cycle().take(2000).collect();
        assert!(decode(&junk).unwrap_err().0.contains("not text"));
        assert!(decode(&[0xFF, 0xFE, 0x00]).is_err());
    }
}
