//! A forgiving XML reader for feeds. Real feeds are often not well-formed: undeclared
//! entities (`&nbsp;`), stray `&` and `<`, tags closed in the wrong order or never, missing
//! namespace declarations. This reader never refuses a document: it reads what it can into
//! a tree, the way a browser reads HTML, and never panics on any input.
//!
//! - Comments, processing instructions and the doctype are skipped; CDATA is text.
//! - Entities: the five of XML, every named HTML entity, and numeric references; an unknown
//!   or unterminated one stays as written.
//! - An end tag closes the nearest open element of that name (and those inside it); one that
//!   matches nothing is ignored; elements still open at the end are closed there.
//! - Names keep their prefix; `ns` is the namespace the prefix (or the default) was declared
//!   with in scope, when it was.
//! - Nesting deeper than `MAX_DEPTH` is kept flat below that depth.

/// How deep elements nest before deeper ones are kept at this depth.
pub const MAX_DEPTH: usize = 256;

/// A node's index in its `Doc`.
pub type Id = usize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Child {
    Element(Id),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// The name as written, prefix included (`dc:creator`).
    pub name: String,
    /// The namespace its prefix (or the default namespace) was declared with.
    pub ns: Option<String>,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Child>,
    pub parent: Option<Id>,
}

impl Element {
    /// The name without its prefix, in lower case.
    pub fn local(&self) -> String {
        self.name
            .rsplit(':')
            .next()
            .unwrap_or(&self.name)
            .to_ascii_lowercase()
    }

    /// The prefix as written, in lower case (empty for none).
    pub fn prefix(&self) -> String {
        self.name
            .rsplit_once(':')
            .map(|(p, _)| p.to_ascii_lowercase())
            .unwrap_or_default()
    }

    /// An attribute by name (any case; `xml:base` by its full name).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .or_else(|| {
                // `rdf:about` as `about`, and the like.
                self.attrs.iter().find(|(k, _)| {
                    k.rsplit(':')
                        .next()
                        .is_some_and(|l| l.eq_ignore_ascii_case(name))
                })
            })
            .map(|(_, v)| v.as_str())
    }
}

/// A document: elements in an arena, the first being the root's children's parent.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub elements: Vec<Element>,
    /// Top-level elements, in order.
    pub top: Vec<Id>,
}

impl Doc {
    pub fn get(&self, id: Id) -> &Element {
        &self.elements[id]
    }

    /// The first top-level element.
    pub fn root(&self) -> Option<Id> {
        self.top.first().copied()
    }

    /// Child elements of `id`.
    pub fn children(&self, id: Id) -> impl Iterator<Item = Id> + '_ {
        self.elements[id].children.iter().filter_map(|c| match c {
            Child::Element(e) => Some(*e),
            Child::Text(_) => None,
        })
    }

    /// Every element under `id` (not `id` itself), in document order, without recursion.
    pub fn descendants(&self, id: Id) -> Vec<Id> {
        let mut out = Vec::new();
        let mut stack: Vec<Id> = self.children(id).collect();
        stack.reverse();
        while let Some(e) = stack.pop() {
            out.push(e);
            let mut kids: Vec<Id> = self.children(e).collect();
            kids.reverse();
            stack.extend(kids);
        }
        out
    }

    /// The text of `id` and everything in it, as written (entities decoded).
    pub fn text(&self, id: Id) -> String {
        let mut out = String::new();
        let mut stack: Vec<&Child> = self.elements[id].children.iter().rev().collect();
        while let Some(c) = stack.pop() {
            match c {
                Child::Text(t) => out.push_str(t),
                Child::Element(e) => stack.extend(self.elements[*e].children.iter().rev()),
            }
        }
        out
    }

    /// Whether `id` holds elements (markup written inline rather than escaped).
    pub fn has_elements(&self, id: Id) -> bool {
        self.children(id).next().is_some()
    }

    /// What is inside `id`, written back as markup (for XHTML and naked HTML content). Its
    /// text is escaped again: markup escaped inside XHTML is text.
    pub fn inner_markup(&self, id: Id) -> String {
        self.inner(id, false)
    }

    /// As `inner_markup`, the text left as it was read: markup escaped inside it is markup
    /// (HTML content written inside a `div`, as some blog tools write it).
    pub fn inner_markup_raw(&self, id: Id) -> String {
        self.inner(id, true)
    }

    fn inner(&self, id: Id, raw: bool) -> String {
        let mut out = String::new();
        for c in &self.elements[id].children {
            self.write(c, &mut out, 0, raw);
        }
        out
    }

    fn write(&self, c: &Child, out: &mut String, depth: usize, raw: bool) {
        match c {
            Child::Text(t) if raw => out.push_str(t),
            Child::Text(t) => out.push_str(&escape(t)),
            Child::Element(e) => {
                let el = &self.elements[*e];
                // Markup is written without its prefix: `xhtml:p` is a `p`.
                let name = el.local();
                out.push('<');
                out.push_str(&name);
                for (k, v) in &el.attrs {
                    if k.starts_with("xmlns") {
                        continue;
                    }
                    out.push(' ');
                    out.push_str(k.rsplit(':').next().unwrap_or(k));
                    out.push_str("=\"");
                    out.push_str(&escape(v));
                    out.push('"');
                }
                out.push('>');
                if depth < MAX_DEPTH {
                    for k in &el.children {
                        self.write(k, out, depth + 1, raw);
                    }
                }
                out.push_str("</");
                out.push_str(&name);
                out.push('>');
            }
        }
    }
}

/// Text escaped for markup.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            c => o.push(c),
        }
    }
    o
}

/// The character a named entity stands for (XML's five and every HTML one), without `&`
/// and `;`.
pub fn named_entity(name: &str) -> Option<String> {
    match name {
        "amp" => return Some("&".into()),
        "lt" => return Some("<".into()),
        "gt" => return Some(">".into()),
        "quot" => return Some("\"".into()),
        "apos" => return Some("'".into()),
        _ => {}
    }
    let key = format!("{name};");
    let &(a, b) = markup5ever::data::NAMED_ENTITIES.get(key.as_str())?;
    let mut s = String::new();
    s.push(char::from_u32(a)?);
    if b != 0 {
        s.push(char::from_u32(b)?);
    }
    Some(s)
}

/// A numeric reference's character (`#233`, `#xE9`); C1 controls as Windows-1252 means them,
/// as browsers do.
fn numeric_entity(body: &str) -> Option<char> {
    let n = if let Some(h) = body.strip_prefix("#x").or_else(|| body.strip_prefix("#X")) {
        u32::from_str_radix(h, 16).ok()?
    } else {
        body.strip_prefix('#')?.parse::<u32>().ok()?
    };
    if (0x80..=0x9f).contains(&n) {
        let b = [u8::try_from(n).ok()?];
        let (s, _, _) = encoding_rs::WINDOWS_1252.decode(&b);
        return s.chars().next();
    }
    match n {
        0 => Some('\u{fffd}'),
        n => char::from_u32(n).or(Some('\u{fffd}')),
    }
}

/// Entities decoded leniently: an unknown or unterminated one stays as written.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        // An entity name is short and ends with `;`.
        let end = after
            .char_indices()
            .take(40)
            .find(|&(_, c)| c == ';' || !(c.is_ascii_alphanumeric() || c == '#'))
            .filter(|&(_, c)| c == ';')
            .map(|(k, _)| k);
        let decoded = end.and_then(|k| {
            let body = &after[..k];
            if body.starts_with('#') {
                numeric_entity(body).map(String::from)
            } else {
                named_entity(body)
            }
        });
        if let (Some(d), Some(k)) = (decoded, end) {
            out.push_str(&d);
            rest = &after[k + 1..];
        } else {
            // Legacy named entities without `;` (`&amp` `&nbsp`), as HTML reads them.
            let word: String = after
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            if let Some(d) = ["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"]
                .iter()
                .find(|n| word == **n)
                .and_then(|n| named_entity(n))
            {
                out.push_str(&d);
                rest = &after[word.len()..];
            } else {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == ':'
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | ':' | '-' | '.' | '\u{b7}')
}

struct Builder {
    doc: Doc,
    open: Vec<Id>,
    /// Namespace declarations in scope: (prefix, uri, depth).
    scopes: Vec<(String, String, usize)>,
}

impl Builder {
    fn text(&mut self, t: String) {
        if t.is_empty() {
            return;
        }
        if let Some(&top) = self.open.last() {
            let kids = &mut self.doc.elements[top].children;
            if let Some(Child::Text(prev)) = kids.last_mut() {
                prev.push_str(&t);
            } else {
                kids.push(Child::Text(t));
            }
        }
    }

    fn resolve(&self, name: &str) -> Option<String> {
        let prefix = name.rsplit_once(':').map_or("", |(p, _)| p);
        self.scopes
            .iter()
            .rev()
            .find(|(p, _, _)| p == prefix)
            .map(|(_, u, _)| u.clone())
    }

    fn start(&mut self, name: String, attrs: Vec<(String, String)>, empty: bool) {
        let depth = self.open.len();
        for (k, v) in &attrs {
            if k == "xmlns" {
                self.scopes.push((String::new(), v.clone(), depth));
            } else if let Some(p) = k.strip_prefix("xmlns:") {
                self.scopes.push((p.to_string(), v.clone(), depth));
            }
        }
        let ns = self.resolve(&name);
        let id = self.doc.elements.len();
        let parent = self.open.last().copied();
        self.doc.elements.push(Element {
            name,
            ns,
            attrs,
            children: Vec::new(),
            parent,
        });
        match parent {
            Some(p) => self.doc.elements[p].children.push(Child::Element(id)),
            None => self.doc.top.push(id),
        }
        if !empty && self.open.len() < MAX_DEPTH {
            self.open.push(id);
        } else {
            self.close_scopes(depth);
        }
    }

    fn close_scopes(&mut self, depth: usize) {
        while self.scopes.last().is_some_and(|s| s.2 >= depth) {
            self.scopes.pop();
        }
    }

    fn end(&mut self, name: &str) {
        let pos = self
            .open
            .iter()
            .rposition(|&e| self.doc.elements[e].name == name)
            .or_else(|| {
                self.open
                    .iter()
                    .rposition(|&e| self.doc.elements[e].name.eq_ignore_ascii_case(name))
            });
        if let Some(p) = pos {
            self.open.truncate(p);
            self.close_scopes(p);
        }
    }
}

/// Attributes of a start tag: `name="v"`, `name='v'`, `name=v`, `name`.
fn attributes(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    loop {
        while chars
            .peek()
            .is_some_and(|&(_, c)| c.is_whitespace() || c == '/')
        {
            chars.next();
        }
        let Some(&(start, _)) = chars.peek() else {
            break;
        };
        while chars
            .peek()
            .is_some_and(|&(_, c)| !c.is_whitespace() && c != '=' && c != '/')
        {
            chars.next();
        }
        let end = chars.peek().map_or(s.len(), |&(i, _)| i);
        let name = s[start..end].to_string();
        if name.is_empty() {
            chars.next();
            continue;
        }
        while chars.peek().is_some_and(|&(_, c)| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek().is_some_and(|&(_, c)| c == '=') {
            chars.next();
            while chars.peek().is_some_and(|&(_, c)| c.is_whitespace()) {
                chars.next();
            }
            match chars.peek().copied() {
                Some((i, q @ ('"' | '\''))) => {
                    chars.next();
                    let from = i + 1;
                    let mut to = s.len();
                    for (j, c) in chars.by_ref() {
                        if c == q {
                            to = j;
                            break;
                        }
                    }
                    value = s[from.min(to)..to].to_string();
                }
                Some((i, _)) => {
                    let mut to = s.len();
                    while let Some(&(j, c)) = chars.peek() {
                        if c.is_whitespace() {
                            to = j;
                            break;
                        }
                        chars.next();
                    }
                    value = s[i..to].to_string();
                }
                None => {}
            }
        }
        out.push((name, decode_entities(&value)));
    }
    out
}

/// Read a document, whatever it holds.
pub fn parse(text: &str) -> Doc {
    let mut b = Builder {
        doc: Doc::default(),
        open: Vec::new(),
        scopes: vec![(
            "xml".to_string(),
            "http://www.w3.org/XML/1998/namespace".to_string(),
            0,
        )],
    };
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < text.len() {
        let Some(lt) = text[i..].find('<').map(|k| i + k) else {
            b.text(decode_entities(&text[i..]));
            break;
        };
        if lt > i {
            b.text(decode_entities(&text[i..lt]));
        }
        let rest = &text[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            i = comment.find("-->").map_or(text.len(), |k| lt + 4 + k + 3);
        } else if let Some(cdata) = rest.strip_prefix("<![CDATA[") {
            if let Some(k) = cdata.find("]]>") {
                b.text(cdata[..k].to_string());
                i = lt + 9 + k + 3;
            } else {
                b.text(cdata.to_string());
                i = text.len();
            }
        } else if rest.starts_with("<?") {
            i = rest.find("?>").map_or(text.len(), |k| lt + k + 2);
        } else if rest.starts_with("<!") {
            // A doctype, maybe with an internal subset in brackets.
            let mut depth = 0i32;
            let mut end = text.len();
            for (k, c) in rest.char_indices().skip(2) {
                match c {
                    '[' => depth += 1,
                    ']' => depth -= 1,
                    '>' if depth <= 0 => {
                        end = lt + k + 1;
                        break;
                    }
                    _ => {}
                }
            }
            i = end;
        } else if let Some(after) = rest.strip_prefix("</") {
            let close = after.find('>').map_or(text.len(), |k| lt + 2 + k);
            let name: String = after.chars().take_while(|&c| is_name_char(c)).collect();
            if !name.is_empty() {
                b.end(&name);
            }
            i = (close + 1).min(text.len());
        } else if rest[1..].chars().next().is_some_and(is_name_start) {
            // A start tag: its end is the first `>` outside quotes.
            let mut quote: Option<u8> = None;
            let mut end = None;
            let mut k = lt + 1;
            while k < bytes.len() {
                let c = bytes[k];
                match quote {
                    Some(q) if c == q => quote = None,
                    Some(_) => {}
                    None if c == b'"' || c == b'\'' => quote = Some(c),
                    None if c == b'>' => {
                        end = Some(k);
                        break;
                    }
                    // A `<` inside a tag ends it: the tag was never closed.
                    None if c == b'<' => {
                        end = Some(k - 1);
                        break;
                    }
                    None => {}
                }
                k += 1;
            }
            let end = end.unwrap_or(text.len() - 1);
            let inner = &text[lt + 1..=end.max(lt).min(text.len() - 1)];
            let inner = inner.strip_suffix('>').unwrap_or(inner);
            let empty = inner.trim_end().ends_with('/');
            let name_len = inner
                .char_indices()
                .find(|&(_, c)| !is_name_char(c))
                .map_or(inner.len(), |(k, _)| k);
            let name = inner[..name_len].to_string();
            let attrs = attributes(&inner[name_len..]);
            b.start(name, attrs, empty);
            i = end + 1;
            // The next char boundary (the `<` case may leave us on one already).
            while i < text.len() && !text.is_char_boundary(i) {
                i += 1;
            }
        } else {
            b.text("<".to_string());
            i = lt + 1;
        }
    }
    b.doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_and_broken_documents_read() {
        let d = parse("<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY x \"y\">]><rss><channel><title>A &amp; B &nbsp;&eacute;&#233;&#xE9;&unknown; &</title><item><title><![CDATA[<b>Bold</b>]]></title></item></channel></rss>");
        let root = d.root().expect("root");
        assert_eq!(d.get(root).local(), "rss");
        let title = d.descendants(root)[1];
        assert_eq!(d.text(title), "A & B \u{a0}ééé&unknown; &");
        let items: Vec<Id> = d
            .descendants(root)
            .into_iter()
            .filter(|&e| d.get(e).local() == "item")
            .collect();
        assert_eq!(items.len(), 1);
        // Tags closed in the wrong order, never closed, a stray `<`.
        let d =
            parse("<feed><entry><title>T <b>x</title><summary>a < b</entry><entry><title>Second");
        let root = d.root().expect("root");
        let entries: Vec<Id> = d.children(root).collect();
        assert_eq!(entries.len(), 2, "{d:?}");
        assert_eq!(d.text(d.children(entries[0]).next().expect("title")), "T x");
        assert!(d.text(entries[0]).contains("a < b"));
        // Namespaces in scope.
        let d = parse("<rss xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><item><dc:creator>Me</dc:creator></item></rss>");
        let c = d.descendants(d.root().expect("root"))[1];
        assert_eq!(
            d.get(c).ns.as_deref(),
            Some("http://purl.org/dc/elements/1.1/")
        );
        assert_eq!(d.get(c).local(), "creator");
    }

    #[test]
    fn any_bytes_read_without_panic() {
        for s in [
            "",
            "<",
            "<<",
            "</",
            "<a",
            "<a b='",
            "<a b=\"c",
            "&",
            "&#",
            "&#x",
            "&#xFFFFFFFF;",
            "<![CDATA[",
            "<!--",
            "<!DOCTYPE [[[",
            "<?",
            "<a/><b/>",
            "é<é>é</é>",
            "<a:b:c x:y:z='1'>",
            "<a\u{1}>\u{0}",
        ] {
            let _ = parse(s);
        }
        let deep = "<a>".repeat(10_000);
        let d = parse(&deep);
        assert!(d.elements.len() == 10_000);
        let _ = d.inner_markup(0);
        let _ = d.text(0);
    }

    #[test]
    fn inner_markup_round_trips_xhtml() {
        let d = parse("<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>One &amp; <a href=\"/x?a=1&amp;b=2\">two</a></p></div></content>");
        let c = d.root().expect("root");
        assert_eq!(
            d.inner_markup(c),
            "<div><p>One &amp; <a href=\"/x?a=1&amp;b=2\">two</a></p></div>"
        );
    }
}
