//! Bytes to text for feeds and pages: a byte-order mark wins; then UTF-8 when the bytes are
//! valid UTF-8 (a prolog that says otherwise is taken to be wrong: text that happens to be
//! valid UTF-8 in another encoding is rare, and the other way round is the common mistake);
//! then the encoding the XML declaration or a `<meta charset>` names; then a guess from the
//! bytes (chardetng), which reads undeclared Latin-1 and Windows-1252.

use encoding_rs::Encoding;

/// What the text was decoded from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    /// Bytes that could not be decoded were replaced.
    pub lossy: bool,
}

/// The encoding a document names in its first bytes (`<?xml ... encoding="..."?>`, or an HTML
/// `<meta charset>`), read as ASCII.
fn declared(head: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(&head[..head.len().min(2048)]).to_ascii_lowercase();
    let find = |key: &str| -> Option<String> {
        let at = head.find(key)? + key.len();
        let rest = head[at..].trim_start();
        let rest = rest.strip_prefix('=')?.trim_start();
        let (q, rest) = match rest.chars().next()? {
            c @ ('"' | '\'') => (Some(c), &rest[1..]),
            _ => (None, rest),
        };
        let end = rest
            .find(|c: char| {
                Some(c) == q
                    || (q.is_none()
                        && (c.is_whitespace() || c == '"' || c == '>' || c == ';' || c == '/'))
            })
            .unwrap_or(rest.len());
        Some(rest[..end].trim().to_string())
    };
    let label = head
        .starts_with("<?xml")
        .then(|| {
            let end = head.find("?>").unwrap_or(head.len());
            let decl = &head[..end];
            decl.find("encoding").and(Some(()))?;
            find("encoding")
        })
        .flatten()
        .or_else(|| find("charset"))?;
    Encoding::for_label(label.as_bytes())
}

/// UTF-16 (or UTF-32) without a mark, told by the `<` of the first tag.
fn sniff_wide(b: &[u8]) -> Option<&'static Encoding> {
    match b {
        [0, b'<', 0, _, ..] => Some(encoding_rs::UTF_16BE),
        [b'<', 0, _, 0, ..] => Some(encoding_rs::UTF_16LE),
        _ => None,
    }
}

/// Decode UTF-32 by hand (`encoding_rs` does not do it; a feed in it is rare but must not
/// break anything).
fn utf32(b: &[u8], big: bool) -> String {
    b.chunks(4)
        .map(|c| {
            let mut w = [0u8; 4];
            w[..c.len()].copy_from_slice(c);
            let n = if big {
                u32::from_be_bytes(w)
            } else {
                u32::from_le_bytes(w)
            };
            char::from_u32(n).unwrap_or('\u{fffd}')
        })
        .collect()
}

/// Decode a document's bytes.
pub fn decode(bytes: &[u8]) -> Decoded {
    match bytes {
        [0, 0, 0xFE, 0xFF, ..] | [0, 0, 0, b'<', ..] => {
            let skip = if bytes[2] == 0xFE { 4 } else { 0 };
            return Decoded {
                text: utf32(&bytes[skip..], true),
                encoding: "UTF-32BE",
                lossy: false,
            };
        }
        [0xFF, 0xFE, 0, 0, ..] | [b'<', 0, 0, 0, ..] => {
            let skip = if bytes[0] == 0xFF { 4 } else { 0 };
            return Decoded {
                text: utf32(&bytes[skip..], false),
                encoding: "UTF-32LE",
                lossy: false,
            };
        }
        _ => {}
    }
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let (text, lossy) = enc.decode_without_bom_handling(&bytes[bom..]);
        return Decoded {
            text: text.into_owned(),
            encoding: enc.name(),
            lossy,
        };
    }
    if let Some(enc) = sniff_wide(bytes) {
        let (text, lossy) = enc.decode_without_bom_handling(bytes);
        return Decoded {
            text: text.into_owned(),
            encoding: enc.name(),
            lossy,
        };
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Decoded {
            text: s.to_string(),
            encoding: "UTF-8",
            lossy: false,
        };
    }
    let enc = declared(bytes)
        // A declared UTF-8 or UTF-16 that is not: guess instead.
        .filter(|e| {
            *e != encoding_rs::UTF_8 && *e != encoding_rs::UTF_16BE && *e != encoding_rs::UTF_16LE
        })
        .unwrap_or_else(|| {
            let mut d = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            d.feed(bytes, true);
            d.guess(None, chardetng::Utf8Detection::Deny)
        });
    let (text, lossy) = enc.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: enc.name(),
        lossy,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_declarations_and_guesses() {
        let utf16be: Vec<u8> = "<?xml version=\"1.0\" encoding=\"utf-16\"?><rss>Café</rss>"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert!(decode(&utf16be).text.contains("Café"));
        let mut bom = vec![0xFE, 0xFF];
        bom.extend(&utf16be);
        assert!(decode(&bom).text.contains("Café"));
        let latin1 = b"<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss>Caf\xe9</rss>";
        assert!(decode(latin1).text.contains("Café"));
        // Undeclared Latin-1 / Windows-1252.
        let bare = b"<rss><title>Caf\xe9 cr\xe8me \x93quoted\x94</title></rss>";
        let d = decode(bare);
        assert!(d.text.contains("Café crème"), "{d:?}");
        // A prolog that lies: it says Latin-1, the bytes are UTF-8.
        let lying = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss>Café</rss>".as_bytes();
        assert!(decode(lying).text.contains("Café"));
        // It says UTF-8, the bytes are Latin-1.
        let lying = b"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss>Caf\xe9</rss>";
        assert!(decode(lying).text.contains("Café"));
        for b in [
            &b""[..],
            b"\xff",
            b"\xfe\xff\x00",
            b"\x00\x00\xfe\xff\x00",
            b"\x00<\x00",
        ] {
            let _ = decode(b);
        }
    }
}
