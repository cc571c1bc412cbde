//! Stable article ids: a short slug of the title plus a hash of the source and the body's start.

/// FNV-1a, 64 bits: stable across Rust versions and platforms (unlike `DefaultHasher`).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A lowercase ASCII slug of at most `max_words` words and `max_len` bytes.
pub fn slug(text: &str, max_words: usize, max_len: usize) -> String {
    let mut out = String::new();
    let mut words = 0;
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let w: String = word
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if w.is_empty() {
            continue;
        }
        if !out.is_empty() && out.len() + 1 + w.len() > max_len {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&w);
        words += 1;
        if words >= max_words || out.len() >= max_len {
            break;
        }
    }
    out.truncate(max_len);
    out
}

/// The id of an article: `slug-of-title-xxxxxxxx`. The hash covers the source and the
/// first 400 characters of the body with whitespace collapsed, so editing metadata such as
/// the date, sector or tags never changes it, nor does re-wrapping the text.
pub fn derive_id(title: &str, source: Option<&str>, body: &str) -> String {
    let mut key = String::new();
    key.push_str(&source.unwrap_or("").trim().to_lowercase());
    key.push('\u{1f}');
    let mut n = 0;
    for w in body.split_whitespace() {
        if n > 0 {
            key.push(' ');
        }
        for c in w.chars() {
            key.push(c);
            n += 1;
        }
        if n >= 400 {
            break;
        }
    }
    let h = fnv1a(key.as_bytes());
    let s = slug(title, 6, 40);
    if s.is_empty() {
        format!("a-{:08x}", h as u32)
    } else {
        format!("{s}-{:08x}", h as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_is_short_and_ascii() {
        assert_eq!(
            slug("China’s Metaverse: Tencent & Huawei join!", 6, 40),
            "china-s-metaverse-tencent-huawei-join"
        );
        assert_eq!(slug("比特币 价格", 6, 40), "");
        assert!(slug(&"word ".repeat(50), 6, 40).len() <= 40);
    }

    #[test]
    fn id_is_stable_under_metadata_and_whitespace_changes() {
        let a = derive_id("Title here", Some("TechNode"), "Body text\n\nsecond para");
        let b = derive_id("Title here", Some("technode "), "Body   text second para");
        assert_eq!(a, b);
        assert!(a.starts_with("title-here-"));
        let c = derive_id("Title here", Some("Other"), "Body text");
        assert_ne!(a, c);
        assert_eq!(derive_id("", None, "x").len(), 10);
    }
}
