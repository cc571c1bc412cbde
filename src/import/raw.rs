//! Splitting raw text (saved pages, feed dumps, plain articles) into article drafts,
//! with page chrome removed and what the text states outright kept.

use super::dates::parse_date_statement;
use crate::corpus::PartialDate;

/// An article as found in raw text, before ids and inference.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    /// The headline, when the text has one.
    pub headline: Option<String>,
    pub paragraphs: Vec<String>,
    /// A sector stated by the text (a `Sector·Date` line).
    pub sector: Option<String>,
    /// A date stated by a dateline.
    pub date: Option<PartialDate>,
    /// A site name standing alone as the first line.
    pub source: Option<String>,
    /// Category links left at the end of the text.
    pub categories: Vec<String>,
    /// The 1-based line in the file where the article starts.
    pub line: usize,
}

/// Whole lines that are page chrome, never article text.
const CHROME_LINES: &[&str] = &[
    "top",
    "more to read",
    "view all",
    "loading",
    "loading...",
    "exit mobile version",
    "source link",
    "advertisement",
    "share",
    "share this article",
    "related articles",
    "read more",
    "skip to content",
];

/// Prefixes of lines that are chrome: cross-links and image captions.
const CHROME_PREFIXES: &[&str] = &["read more:", "related:", "a visual representation"];

const IMAGE_EXTENSIONS: &[&str] = &[".webp", ".jpg", ".jpeg", ".png", ".gif", ".avif", ".svg"];

const PHOTO_SITES: &[&str] = &[
    "Unsplash",
    "Pexels",
    "Pixabay",
    "Getty Images",
    "Shutterstock",
];

fn clean_spaces(s: &str) -> String {
    s.replace(['\u{a0}', '\u{2009}', '\u{200b}'], " ")
        .trim()
        .to_string()
}

fn is_image_url(line: &str) -> bool {
    let l = line.to_ascii_lowercase();
    (l.starts_with("http://") || l.starts_with("https://"))
        && !l.contains(' ')
        && IMAGE_EXTENSIONS
            .iter()
            .any(|e| l.split(['?', '#']).next().unwrap_or("").ends_with(e))
}

/// Whether a line is page chrome.
pub fn is_chrome_line(line: &str) -> bool {
    let l = line.trim().to_lowercase();
    CHROME_LINES.contains(&l.as_str())
        || CHROME_PREFIXES.iter().any(|p| l.starts_with(p))
        || is_image_url(line.trim())
        || is_photo_credit(line.trim())
}

fn is_photo_credit(line: &str) -> bool {
    (line.starts_with("Photo by ") || line.starts_with("Photo: ") || line.starts_with("Image: "))
        && line.len() < 120
        && (PHOTO_SITES.iter().any(|s| line.ends_with(s)) || line.starts_with("Photo: "))
}

/// Remove "Photo by X on Unsplash" credits glued into running text. A credit in the middle
/// of text marks a lost paragraph break, so it becomes a newline.
fn strip_inline_credits(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find("Photo by ") {
        let after = &rest[p..];
        let window_end = after.char_indices().nth(90).map_or(after.len(), |(i, _)| i);
        let window = &after[..window_end];
        let hit = PHOTO_SITES.iter().filter_map(|site| {
            let needle = format!(" on {site}");
            window.find(&needle).map(|i| i + needle.len())
        });
        if let Some(end) = hit.min() {
            out.push_str(&rest[..p]);
            out.push('\n');
            rest = &after[end..];
        } else {
            out.push_str(&rest[..p + "Photo by ".len()]);
            rest = &rest[p + "Photo by ".len()..];
        }
    }
    out.push_str(rest);
    out
}

/// Words that start sentences, used to spot a subheading glued to the text after it
/// ("separate taxBeyond ETFs"). Brand names in CamelCase (`BlackRock`) are not among them.
const SENTENCE_STARTS: &[&str] = &[
    "The",
    "That",
    "This",
    "These",
    "Those",
    "There",
    "In",
    "On",
    "At",
    "Beyond",
    "Despite",
    "While",
    "As",
    "According",
    "Last",
    "Earlier",
    "During",
    "However",
    "A",
    "An",
    "It",
    "Its",
    "Under",
    "With",
    "For",
    "Governments",
    "Customers",
    "Since",
    "After",
    "Before",
    "When",
    "Although",
    "But",
    "And",
    "Meanwhile",
    "Additionally",
    "Furthermore",
    "Notably",
    "Japan",
    "India",
    "China",
    "Chinese",
    "SK",
    "Funble",
    "Nikkei",
];

/// Split text where a sentence end is glued to the next sentence with no space
/// ("framework.The materials"), a sign of a lost paragraph break.
fn split_glued_sentences(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        cur.push(c);
        if (c.is_lowercase() || c.is_ascii_digit())
            && chars.get(i + 1).is_some_and(|n| n.is_uppercase())
        {
            let right: String = chars[i + 1..]
                .iter()
                .take_while(|ch| ch.is_alphabetic())
                .collect();
            let since = cur.rsplit(". ").next().unwrap_or("");
            let words = since.split_whitespace().count();
            if SENTENCE_STARTS.contains(&right.as_str()) && (1..=10).contains(&words) {
                // The heading becomes a paragraph of its own.
                let head_at = cur.len() - since.len();
                let heading = cur.split_off(head_at);
                if !cur.trim().is_empty() {
                    out.push(cur.trim().to_string());
                }
                out.push(heading.trim().to_string());
                cur.clear();
            }
            i += 1;
            continue;
        }
        if matches!(c, '.' | '!' | '?') && i >= 2 {
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j], '”' | '"' | '’' | ')') {
                cur.push(chars[j]);
                j += 1;
            }
            let prev = chars[i - 1];
            let prev2 = chars[i - 2];
            if j < chars.len()
                && chars[j].is_uppercase()
                && (prev.is_lowercase() || prev.is_ascii_digit() || prev == ')')
                && (prev2 != '.' || prev.is_ascii_digit())
                && prev2 != ' '
                && !chars[j].is_lowercase()
            {
                out.push(std::mem::take(&mut cur).trim().to_string());
            }
            i = j;
            continue;
        }
        i += 1;
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// Turn lines into paragraphs: each non-empty line is a paragraph, except that
/// hard-wrapped blocks (lines of similar length separated by blank lines) are joined.
fn paragraphs_of(lines: &[String]) -> Vec<String> {
    let mut blocks: Vec<Vec<&str>> = vec![Vec::new()];
    for l in lines {
        if l.trim().is_empty() {
            if blocks.last().is_some_and(|b| !b.is_empty()) {
                blocks.push(Vec::new());
            }
        } else if let Some(b) = blocks.last_mut() {
            b.push(l.as_str());
        }
    }
    let mut out = Vec::new();
    for b in blocks.iter().filter(|b| !b.is_empty()) {
        let hard_wrapped = b.len() >= 2
            && b[..b.len() - 1]
                .iter()
                .all(|l| (40..=100).contains(&l.chars().count()));
        if hard_wrapped {
            out.push(b.join(" "));
        } else {
            out.extend(b.iter().map(std::string::ToString::to_string));
        }
    }
    out
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end_matches(['”', '"', '’', ')'])
        .ends_with(['.', '!', '?', ':', ';', ','])
}

/// A line that reads as a headline: a few words, no sentence punctuation at its end.
fn is_headline(s: &str) -> bool {
    let words = s.split_whitespace().count();
    (3..=30).contains(&words) && s.chars().count() <= 160 && !ends_sentence(s)
}

/// A site name standing alone: one to three words, short, no punctuation, written as a
/// name (`TechNode`, `The Block`, `Caixin Global`), not a phrase (`Just some notes`).
fn is_site_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (1..=3).contains(&words.len())
        && s.chars().count() <= 30
        && !s.contains(['.', ',', ':', '·'])
        && words.iter().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                || matches!(*w, "of" | "the" | "and" | "&" | "on" | "for")
        })
        && s.chars().next().is_some_and(char::is_uppercase)
}

/// Short link-like lines (one or two words) left at the end of a text: category links.
fn is_category_link(s: &str) -> bool {
    let words = s.split_whitespace().count();
    (1..=2).contains(&words) && s.chars().count() <= 24 && !ends_sentence(s)
}

/// `Sector·Date` or `Sector·` (date on the next line).
fn parse_dateline(s: &str) -> Option<(String, Option<PartialDate>)> {
    let (sector, date) = s.split_once('·')?;
    let sector = sector.trim();
    if sector.is_empty() || sector.chars().count() > 40 || sector.ends_with('.') {
        return None;
    }
    let date = date.trim();
    let d = parse_date_statement(date);
    if !date.is_empty() && d.is_none() {
        return None;
    }
    Some((sector.to_string(), d))
}

/// Clean one article's lines into a draft: chrome removed, a site name and headline found,
/// glued paragraphs split, trailing category links taken off.
fn draft_from_lines(lines: &[String], line: usize, headline: Option<String>) -> Draft {
    let mut kept: Vec<String> = Vec::new();
    for l in lines {
        let c = clean_spaces(l);
        if is_chrome_line(&c) {
            continue;
        }
        kept.push(strip_inline_credits(&c));
    }
    // Inline credits became newlines: re-split.
    let kept: Vec<String> = kept
        .iter()
        .flat_map(|l| {
            if l.is_empty() {
                vec![String::new()]
            } else {
                l.split('\n').map(|x| x.trim().to_string()).collect()
            }
        })
        .collect();
    let mut paras = paragraphs_of(&kept);
    let mut draft = Draft {
        headline,
        line,
        ..Draft::default()
    };
    if draft.headline.is_none() && paras.len() >= 2 && is_site_name(&paras[0]) {
        draft.source = Some(paras.remove(0));
    }
    if draft.headline.is_none() && paras.len() >= 2 && is_headline(&paras[0]) {
        draft.headline = Some(paras.remove(0));
    }
    // A headline repeated at the start of the body ("...DelayThe Indian Supreme Court").
    if let (Some(h), Some(first)) = (draft.headline.as_deref(), paras.first_mut()) {
        if first.len() > h.len() && first.starts_with(h) {
            *first = first[h.len()..].trim().to_string();
        }
    }
    let mut split: Vec<String> = paras
        .iter()
        .flat_map(|p| split_glued_sentences(p))
        .filter(|p| !p.is_empty())
        .collect();
    let mut cats = Vec::new();
    while split.len() > 1 && split.last().is_some_and(|l| is_category_link(l)) {
        cats.push(split.pop().unwrap_or_default());
    }
    if cats.len() >= 2 {
        cats.reverse();
        draft.categories = cats;
    } else {
        split.extend(cats);
    }
    draft.paragraphs = split;
    draft
}

/// A saved web page holding articles under `Sector·Date` datelines, bodies ending at a
/// line `news` ("More to Read" blocks).
fn split_page(lines: &[&str]) -> Vec<Draft> {
    // Segments: split at chrome section markers and at `news` terminators.
    let mut segments: Vec<(usize, Vec<String>)> = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    let mut start = 1;
    for (i, l) in lines.iter().enumerate() {
        let c = clean_spaces(l);
        let lc = c.to_lowercase();
        if lc == "news" || lc == "more to read" {
            if cur.iter().any(|x| !x.is_empty()) {
                segments.push((start, std::mem::take(&mut cur)));
            }
            cur.clear();
            start = i + 2;
            continue;
        }
        if cur.is_empty() && (c.is_empty() || is_chrome_line(&c)) {
            start = i + 2;
            continue;
        }
        cur.push(c);
    }
    if cur.iter().any(|x| !x.is_empty() && !is_chrome_line(x)) {
        segments.push((start, cur));
    }
    let mut out = Vec::new();
    for (start, seg) in segments {
        let nonempty: Vec<(usize, &String)> = seg
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.is_empty() && !is_chrome_line(l))
            .collect();
        let Some(dl) = nonempty
            .iter()
            .take(3)
            .position(|(_, l)| parse_dateline(l).is_some())
        else {
            let d = draft_from_lines(&seg, start, None);
            if !d.paragraphs.is_empty() {
                out.push(d);
            }
            continue;
        };
        let (sector, mut date) = parse_dateline(nonempty[dl].1).unwrap_or_default();
        let mut next = dl + 1;
        if date.is_none() {
            if let Some(d) = nonempty
                .get(next)
                .and_then(|(_, l)| parse_date_statement(l))
            {
                date = Some(d);
                next += 1;
            }
        }
        let headline = if dl >= 1 && is_headline(nonempty[dl - 1].1) {
            Some(nonempty[dl - 1].1.clone())
        } else if let Some((_, h)) = nonempty.get(next).filter(|(_, l)| is_headline(l)) {
            next += 1;
            Some((*h).clone())
        } else {
            None
        };
        let body_from = nonempty.get(next).map_or(seg.len(), |(i, _)| *i);
        let mut d = draft_from_lines(&seg[body_from..], start + body_from, headline);
        d.sector = Some(sector);
        d.date = date;
        if !d.paragraphs.is_empty() {
            out.push(d);
        }
    }
    out
}

/// Split raw text into article drafts.
///
/// - A dump of feed item bodies separated by `]]>` gives one article per item.
/// - A saved page with `Sector·Date` datelines gives one article per dateline.
/// - Anything else is one article.
pub fn split_text(text: &str) -> Vec<Draft> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    if text.contains("]]>") {
        let mut out = Vec::new();
        let mut line = 1;
        for chunk in text.split("]]>") {
            let chunk_lines = chunk.matches('\n').count();
            let body = chunk.replace("<![CDATA[", "");
            let lead_blank = body.len() - body.trim_start_matches(['\n', ' ']).len();
            let start = line + body[..lead_blank].matches('\n').count();
            let lines: Vec<String> = body.trim().lines().map(str::to_string).collect();
            let d = draft_from_lines(&lines, start, None);
            if !d.paragraphs.is_empty() {
                out.push(d);
            }
            line += chunk_lines;
        }
        return out;
    }
    let lines: Vec<&str> = text.lines().collect();
    let is_page = lines.iter().take(200).any(|l| {
        let c = clean_spaces(l);
        c.eq_ignore_ascii_case("more to read") || parse_dateline(&c).is_some()
    });
    if is_page {
        return split_page(&lines);
    }
    let owned: Vec<String> = lines.iter().map(std::string::ToString::to_string).collect();
    let first = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
    let d = draft_from_lines(&owned, first + 1, None);
    if d.paragraphs.is_empty() {
        Vec::new()
    } else {
        vec![d]
    }
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "inc", "co", "corp", "ltd", "no", "vs", "jr", "sr", "gov", "dept",
    "approx", "est", "fig", "e.g", "i.e", "u.s", "u.k",
];

/// The first sentence of a text.
pub fn first_sentence(text: &str) -> &str {
    let t = text.trim();
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let mut j = k + 1;
        while j < chars.len() && matches!(chars[j].1, '”' | '"' | '’' | ')') {
            j += 1;
        }
        let at_end = j >= chars.len();
        if !at_end && !chars[j].1.is_whitespace() {
            continue;
        }
        if c == '.' {
            let before = &t[..i];
            let word: String = before
                .rsplit(|ch: char| ch.is_whitespace() || ch == '(')
                .next()
                .unwrap_or("")
                .to_lowercase();
            let single_initial =
                word.chars().count() == 1 && word.chars().next().is_some_and(char::is_alphabetic);
            if ABBREVIATIONS.contains(&word.as_str()) || single_initial {
                continue;
            }
        }
        let end = chars.get(j).map_or(t.len(), |&(p, _)| p);
        return t[..end].trim();
    }
    t
}

/// A title from running text: the first sentence, cut at a word boundary near `max`
/// characters (with `…`), without its final full stop.
pub fn title_from_text(text: &str, max: usize) -> String {
    let s = first_sentence(text);
    let s = s.strip_suffix('.').unwrap_or(s).trim();
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for w in s.split_whitespace() {
        if out.chars().count() + 1 + w.chars().count() > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    if out.is_empty() {
        out = s.chars().take(max).collect();
    }
    let out = out.trim_end_matches([',', ';', ':', '-', '—', '–', ' ']);
    format!("{out}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentence_skips_abbreviations() {
        assert_eq!(
            first_sentence("On Dec. 10 the U.S. rules changed. Then more."),
            "On Dec. 10 the U.S. rules changed."
        );
        assert_eq!(first_sentence("He said “no.” Then left."), "He said “no.”");
        assert_eq!(first_sentence("No end"), "No end");
        assert_eq!(
            first_sentence("It cost RMB 5.1 billion. Next."),
            "It cost RMB 5.1 billion."
        );
    }

    #[test]
    fn titles_are_cut_at_word_boundaries() {
        let t = title_from_text("China had a rough ride in 2022.\nThroughout", 90);
        assert_eq!(t, "China had a rough ride in 2022");
        let long = "word ".repeat(40);
        let t = title_from_text(&long, 90);
        assert!(t.chars().count() <= 91 && t.ends_with("word…"), "{t}");
    }

    #[test]
    fn removes_chrome_and_credits() {
        assert!(is_chrome_line(
            "https://asset.coinness.com/en/news/e67ef2c7b.webp"
        ));
        assert!(is_chrome_line("Photo by Li Yang on Unsplash"));
        assert!(is_chrome_line("Exit mobile version"));
        assert!(is_chrome_line("READ MORE: How did Didi get in trouble?"));
        assert!(!is_chrome_line("Topics of the day"));
        let s =
            strip_inline_credits("tax framework.Photo by Jakub Żerdzicki on UnsplashThe materials");
        assert_eq!(s, "tax framework.\nThe materials");
    }

    #[test]
    fn splits_glued_sentences_only() {
        assert_eq!(
            split_glued_sentences("A bc.The c. U.S.A. stays. Dec. 5 ok"),
            ["A bc.", "The c. U.S.A. stays. Dec. 5 ok"]
        );
        assert_eq!(
            split_glued_sentences(
                "Ends here. Some heading wordsThe text goes on with BlackRock and CoinPost."
            ),
            [
                "Ends here.",
                "Some heading words",
                "The text goes on with BlackRock and CoinPost."
            ]
        );
        assert_eq!(
            split_glued_sentences(
                "the 2026 Diet session. Derivatives also subject to separate taxBeyond ETFs, the"
            ),
            [
                "the 2026 Diet session.",
                "Derivatives also subject to separate tax",
                "Beyond ETFs, the"
            ]
        );
    }

    #[test]
    fn single_article_with_site_name_and_headline() {
        let d = split_text("CoinTrust\n\nHong Kong and Mainland China Explore Web3\n\nFirst para.\n\nSecond para.\n\nExit mobile version");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].source.as_deref(), Some("CoinTrust"));
        assert_eq!(
            d[0].headline.as_deref(),
            Some("Hong Kong and Mainland China Explore Web3")
        );
        assert_eq!(d[0].paragraphs, ["First para.", "Second para."]);
    }

    #[test]
    fn feed_dump_and_page() {
        let d = split_text("One item here. More.\nAuto\nE-commerce\n]]>Second item. Text.]]>");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].categories, ["Auto", "E-commerce"]);
        assert_eq!(d[1].line, 4);
        let page = "Top\n\nBig headline about things\n\nPolicy & Regulation·January 20, 2024, 10:30 AM\n\nBody one.\n\nMore to Read\nView All\nPolicy & Regulation·\n\nDec 29, 2025\n\nSecond headline words here\n\nSecond headline words hereBody two.Photo by A B on UnsplashMore text.\n\nnews\nLoading";
        let d = split_text(page);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert_eq!(d[0].headline.as_deref(), Some("Big headline about things"));
        assert_eq!(
            d[0].date.map(|x| x.to_string()).as_deref(),
            Some("2024-01-20")
        );
        assert_eq!(d[1].headline.as_deref(), Some("Second headline words here"));
        assert_eq!(
            d[1].date.map(|x| x.to_string()).as_deref(),
            Some("2025-12-29")
        );
        assert_eq!(d[1].paragraphs, ["Body two.", "More text."]);
        assert_eq!(d[1].sector.as_deref(), Some("Policy & Regulation"));
    }
}
