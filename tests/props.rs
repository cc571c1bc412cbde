//! Hostile input never crashes folio: property tests (proptest) over everything a user types
//! or loads. Case counts are bounded so the suite stays quick on two cores; a failure is
//! kept in `proptest-regressions/` and replayed first from then on.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use folio::app::App;
use folio::corpus::{load_bytes, stream, Corpus};
use folio::query::{self, engine, Index};
use folio::runtime::action_for_event;
use folio::theme::Theme;
use proptest::prelude::*;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::path::Path;
use std::sync::atomic::AtomicU64;
use std::sync::OnceLock;

fn data(p: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(p)
}

/// The built-in corpus and the tricky one (escapes, CJK, emoji, no date), indexed once.
fn corpora() -> &'static [(Corpus, Index)] {
    static C: OnceLock<Vec<(Corpus, Index)>> = OnceLock::new();
    C.get_or_init(|| {
        [
            Corpus::embedded().expect("embedded"),
            Corpus::open(Some(&data("tricky.json"))).expect("tricky"),
        ]
        .into_iter()
        .map(|c| {
            let ix = Index::build(&c.articles);
            (c, ix)
        })
        .collect()
    })
}

/// Parse a query and, when it parses, run it everywhere it is used: the search over both
/// corpora, the facet counts, the title and body highlights.
fn exercise_query(text: &str) {
    let Ok(q) = query::parse(text) else { return };
    for (c, ix) in corpora() {
        let state = folio::store::StateView::default();
        let hits =
            engine::search_in_steps(&c.articles, ix, &q, &state, None, &|| false, &mut |_| {})
                .expect("not cancelled");
        let _ = query::facets::count_indexed(ix, hits.iter().map(|h| h.idx as usize));
        for h in hits.iter().take(3) {
            let a = &c.articles[h.idx as usize];
            let _ = query::highlight::title_highlights(&a.title, &q);
            for p in a.paragraphs().take(2) {
                for (s, e) in query::highlight::text_matches(p, &q) {
                    assert!(
                        s <= e && e <= p.len() && p.is_char_boundary(s) && p.is_char_boundary(e)
                    );
                }
            }
        }
    }
    let _ = q.highlights();
}

/// Characters of every width and kind: ASCII, accents, CJK, emoji, combining marks,
/// right-to-left, zero-width, control characters.
fn any_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::char::range(' ', '~'),
        1 => proptest::char::range('\u{0}', '\u{1f}'),
        1 => proptest::sample::select(vec![
            'é', 'ß', 'ø', '電', '〈', '电', '比', '🚀', '🎉', '\u{301}', '\u{200b}', '\u{202e}',
            '\u{7f}', '\u{85}', '\u{feff}', 'ﷺ', '𝔘', '“', '”', '—', '…', '\u{2028}',
        ]),
        1 => any::<char>(),
    ]
}

fn any_text(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(any_char(), 0..max).prop_map(|v| v.into_iter().collect())
}

/// Query-shaped text: fields, values, quotes, lists, ranges, relative dates, negation.
fn query_text() -> impl Strategy<Value = String> {
    let field = proptest::sample::select(vec![
        "", "sector:", "tag:", "#", "source:", "entity:", "date:", "after:", "before:", "is:",
        "sort:", "-", "-date:", "-sector:", "\"", "SECTOR:", "Date:", "(", "-(", ")", "OR ",
        "(OR ", "((",
    ]);
    let value = prop_oneof![
        proptest::sample::select(vec![
            "2023",
            "2023-06",
            "2023-06-01",
            "2021-06..2022-01",
            "2022..",
            "..2021",
            "30d",
            "6m",
            "1y",
            "0d",
            "99999y",
            "none",
            "crypto",
            "\"auto & ev\"",
            "crypto,fintech",
            "bookmarked",
            "read",
            "unread",
            "date",
            "title",
            "relevance",
            "2023-13",
            "2023-02-30",
            "..",
            ",,",
            "\"",
            "-1m",
            "9999",
            "0000",
            "1e9",
            "10000d",
        ])
        .prop_map(str::to_string),
        any_text(8),
    ];
    let term = (field, value, any_text(2)).prop_map(|(f, v, tail)| format!("{f}{v}{tail}"));
    proptest::collection::vec(term, 0..6).prop_map(|ts| ts.join(" "))
}

/// Bounded cases (times `FOLIO_PROP_SCALE` for a longer hunt); failures kept beside this
/// file (`props.proptest-regressions`) and replayed first.
fn config(cases: u32) -> ProptestConfig {
    let scale = std::env::var("FOLIO_PROP_SCALE")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(1)
        .max(1);
    ProptestConfig {
        cases: cases.saturating_mul(scale),
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(400))]

    #[test]
    fn any_text_as_a_query_never_panics(q in any_text(40)) {
        exercise_query(&q);
    }

    #[test]
    fn grammar_shaped_queries_never_panic(q in query_text()) {
        exercise_query(&q);
    }
}

/// Ways to damage a corpus file.
#[derive(Debug, Clone)]
enum Damage {
    Cut(usize),
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
}

fn damage() -> impl Strategy<Value = Damage> {
    let inserts = proptest::sample::select(vec![
        b"\xff\xfe".to_vec(),
        b"\\ud800".to_vec(),
        b"\"\\udfff\"".to_vec(),
        b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[".to_vec(),
        b"1e999999".to_vec(),
        b"-99999999999999999999999999".to_vec(),
        b"{\"title\": 3, \"body\": []}".to_vec(),
        b"{\"title\": \"t\", \"body\": \"b\", \"date\": \"2023-99\"}\n".to_vec(),
        b"\n".to_vec(),
        b"\0".to_vec(),
        b",".to_vec(),
        b"\"".to_vec(),
        b"}".to_vec(),
        "\u{1b}[31m".as_bytes().to_vec(),
    ]);
    prop_oneof![
        any::<usize>().prop_map(Damage::Cut),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Damage::Flip(i, b)),
        (any::<usize>(), inserts).prop_map(|(i, v)| Damage::Insert(i, v)),
    ]
}

fn apply(mut bytes: Vec<u8>, ds: &[Damage]) -> Vec<u8> {
    for d in ds {
        let n = bytes.len().max(1);
        match d {
            Damage::Cut(i) => bytes.truncate(i % n),
            Damage::Flip(i, b) => {
                if let Some(x) = bytes.get_mut(i % n) {
                    *x ^= b | 1;
                }
            }
            Damage::Insert(i, v) => {
                let at = (i % n).min(bytes.len());
                bytes.splice(at..at, v.iter().copied());
            }
        }
    }
    bytes
}

/// The test corpus as a corpus object, as a bare array and as JSON Lines.
fn corpus_files() -> Vec<Vec<u8>> {
    let obj = std::fs::read(data("tricky.json")).expect("tricky");
    let c = load_bytes("tricky.json", &obj).expect("loads");
    let array = serde_json::to_vec(&c).expect("array");
    let lines: Vec<u8> = c
        .iter()
        .flat_map(|a| {
            let mut l = serde_json::to_vec(a).expect("line");
            l.push(b'\n');
            l
        })
        .collect();
    vec![obj, array, lines]
}

proptest! {
    #![proptest_config(config(160))]

    #[test]
    fn damaged_corpora_load_or_are_refused_without_panic(
        which in 0usize..3,
        ds in proptest::collection::vec(damage(), 1..4),
    ) {
        let bytes = apply(corpus_files()[which].clone(), &ds);
        let whole = load_bytes("damaged.json", &bytes);
        if let Err(e) = &whole {
            prop_assert!(!e.message.is_empty());
        }
        // The streaming loader on the same bytes.
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("damaged.json");
        std::fs::write(&p, &bytes).expect("write");
        let streamed = stream::load_streaming(&p, &AtomicU64::new(0));
        if let Ok(a) = &whole {
            prop_assert_eq!(streamed.as_ref().ok(), Some(a));
        }
    }

    #[test]
    fn damaged_feeds_and_raw_text_import_without_panic(
        which in 0usize..8,
        ds in proptest::collection::vec(damage(), 1..4),
    ) {
        let inputs: Vec<(&str, Vec<u8>)> = vec![
            ("a.xml", std::fs::read(data("feeds/rss_2.0_bbc.xml")).expect("feed")),
            ("b.xml", std::fs::read(data("feeds/atom_example_reddit.xml")).expect("feed")),
            ("c.xml", std::fs::read(data("feeds/rss_1.0_debian.xml")).expect("feed")),
            ("d.xml", std::fs::read(data("feeds/rss_2.0_cloudflare.xml")).expect("feed")),
            ("e.txt", std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/seeds/000_92d163fa5ecc2d85.txt")).expect("seed")),
            ("f.txt", std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/seeds/004_ae7f510ed44fec53.txt")).expect("seed")),
            ("g.json", std::fs::read(data("tricky.json")).expect("json")),
            ("h.jsonl", corpus_files()[2].clone()),
        ];
        let (name, bytes) = &inputs[which];
        let bytes = apply(bytes.clone(), &ds);
        let opts = folio::import::Options::default();
        if let Ok((articles, report)) = folio::import::import_bytes(Path::new(name), &bytes, &opts) {
            let _ = report.summary();
            if !articles.is_empty() {
                let json = folio::corpus::to_corpus_json(&articles);
                prop_assert!(load_bytes("out.json", json.as_bytes()).is_ok(), "import output loads");
            }
        }
    }

    #[test]
    fn raw_bytes_import_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600), ext in 0usize..4) {
        let name = ["x.txt", "x.xml", "x.json", "x.jsonl"][ext];
        let _ = folio::import::import_bytes(Path::new(name), &bytes, &folio::import::Options::default());
    }
}

/// An event a person at a terminal can cause.
fn event() -> impl Strategy<Value = Event> {
    let key = |code| Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    let named = proptest::sample::select(vec![
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::F(5),
    ]);
    prop_oneof![
        6 => proptest::sample::select(
            "jkjkgGnpbBreuAvf/?q :,.-\"#0123yoYhl".chars().collect::<Vec<_>>()
        ).prop_map(move |c| key(KeyCode::Char(c))),
        2 => any_char().prop_map(move |c| key(KeyCode::Char(c))),
        2 => named.prop_map(key),
        1 => proptest::sample::select(vec!['c', 'd', 'u', 'w', 's', 'j', 'm'])
            .prop_map(|c| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))),
        1 => (0u16..200, 0u16..80, 0u8..3).prop_map(|(x, y, k)| Event::Mouse(MouseEvent {
            kind: [MouseEventKind::Down(MouseButton::Left), MouseEventKind::ScrollUp, MouseEventKind::ScrollDown][usize::from(k)],
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        })),
        1 => (0u16..200, 0u16..70).prop_map(|(w, h)| Event::Resize(w, h)),
    ]
}

proptest! {
    #![proptest_config(config(100))]

    #[test]
    fn the_reader_survives_any_keys_mice_and_sizes(
        which in 0usize..2,
        events in proptest::collection::vec(event(), 1..60),
        first in (0u16..160, 0u16..50),
    ) {
        let corpus = corpora()[which].0.clone();
        let mut app = App::new(corpus, Theme::color());
        let mut fx = folio::runtime::immediate::Immediate::new();
        let (mut w, mut h) = first;
        app.update(folio::app::Action::Resize(w, h));
        for ev in &events {
            if let Event::Resize(nw, nh) = ev {
                (w, h) = (*nw, *nh);
            }
            if let Some(action) = action_for_event(&app, ev) {
                let u = app.update(action);
                if fx.perform(&mut app, u.effects) {
                    break;
                }
            }
            // Every selection and offset in range.
            prop_assert!(app.visible().is_empty() || app.selected() < app.visible().len());
            prop_assert!(app.list_offset() <= app.selected() || app.visible().is_empty());
            prop_assert!(app.reader_top() <= app.reader_max_top());
            prop_assert!(app.facet_cursor() <= app.facet_rows().len());
            if let Some(c) = app.views_cursor() {
                prop_assert!(c < app.views().len().max(1));
            }
            // Drawn at the size it was told, nothing from corpus text controls the terminal.
            let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
            t.draw(|f| f.render_widget(&app, f.area())).expect("draw");
            for cell in t.backend().buffer().content() {
                prop_assert!(
                    !cell.symbol().chars().any(char::is_control),
                    "a control character was drawn: {:?}", cell.symbol()
                );
            }
        }
    }
}

/// Inputs the fuzzers and property tests found, kept as plain tests.
#[test]
fn inputs_that_once_broke_folio() {
    // Queries: a multi-byte character where a relative date's unit would be.
    for q in [
        "date:é",
        "date:2023〈",
        "date:-1m电",
        "date:2023é",
        "after:電",
        "date:30電",
    ] {
        let e = query::parse(q).expect_err(q);
        assert!(!e.why.is_empty(), "{q}: the reason is given");
        exercise_query(q);
    }
    // Import: a lone comma paragraph made a blank headline, which the loader then refused.
    let raw = b"Top\n,\nChina establishes metaverse working g\x01<?xroup with Chiml versio1.0# encodrng=\"UTF-8\"?>\n<ngsrse tes";
    let (articles, _) =
        folio::import::import_bytes(Path::new("in.txt"), raw, &folio::import::Options::default())
            .expect("imports");
    assert!(!articles.is_empty());
    let json = folio::corpus::to_corpus_json(&articles);
    load_bytes("out.json", json.as_bytes()).expect("what import writes, the loader reads");
    for a in &articles {
        assert!(!a.title.trim().is_empty(), "{a:?}");
    }
    // Blank titles and blank paragraphs from JSON.
    let j = br#"[{"title": "  ", "body": ["", " ", "Real text here."]}, {"title": "\u00a0", "body": " , "}]"#;
    let (articles, _) =
        folio::import::import_bytes(Path::new("in.json"), j, &folio::import::Options::default())
            .expect("imports");
    let json = folio::corpus::to_corpus_json(&articles);
    load_bytes("out.json", json.as_bytes()).expect("loads");
}

/// Pieces feeds are made of, to make feed-shaped documents from.
const FEED_PIECES: &[&str] = &[
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
    "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>",
    "<rss version=\"2.0\">",
    "<rss>",
    "</rss>",
    "<channel>",
    "</channel>",
    "<item>",
    "</item>",
    "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
    "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\">",
    "</feed>",
    "<entry>",
    "</entry>",
    "<title>",
    "</title>",
    "<title type=\"html\">",
    "<title mode=\"base64\">",
    "<description>",
    "</description>",
    "<content type=\"xhtml\">",
    "<content type=\"application/octet-stream\" mode=\"base64\">",
    "<content type=\"html\">",
    "</content>",
    "<div xmlns=\"http://www.w3.org/1999/xhtml\">",
    "</div>",
    "<link>",
    "</link>",
    "<link href=\"/rel\"/>",
    "<link rel=\"alternate\" href=\"http://a.example/x\"/>",
    "<guid>g1</guid>",
    "<pubDate>Tue, 10 Jun 2003 04:00:00 GMT</pubDate>",
    "<updated>2024-01-02T01:30:00+09:00</updated>",
    "<dc:creator xmlns:dc=\"http://purl.org/dc/elements/1.1/\">Ann</dc:creator>",
    "<content:encoded xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">",
    "</content:encoded>",
    "<![CDATA[",
    "]]>",
    "&amp;",
    "&lt;p&gt;",
    "&nbsp;",
    "&#x1F600;",
    "&#",
    "&unknown;",
    "<p>",
    "</p>",
    "<ul><li>",
    "</li></ul>",
    "<ol start=\"3\"><li>",
    "<pre>",
    "</pre>",
    "<table><tr><td>",
    "</td></tr></table>",
    "<blockquote>",
    "</blockquote>",
    "<a href=\"x\">",
    "</a>",
    "<img alt=\"pic\">",
    "<iframe>",
    "<script>",
    "<br>",
    "<hr>",
    "<sup></sup>",
    "<s>",
    "text",
    " words here ",
    "é",
    "中文",
    "<",
    ">",
    "\"",
    "'",
    "\n",
    "\u{0}",
    "\u{1b}[31m",
    "PHA+SGk8L3A+",
];

fn feed_doc() -> impl Strategy<Value = Vec<u8>> {
    (
        proptest::collection::vec(0usize..FEED_PIECES.len(), 0..80),
        0u8..4,
    )
        .prop_map(|(picks, enc)| {
            let s: String = picks.iter().map(|&i| FEED_PIECES[i]).collect();
            match enc {
                // UTF-16 big-endian and little-endian, with and without a byte-order mark.
                1 => s.encode_utf16().flat_map(u16::to_be_bytes).collect(),
                2 => {
                    let mut b = vec![0xFF, 0xFE];
                    b.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
                    b
                }
                // Latin-1 where it can be.
                3 => s
                    .chars()
                    .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
                    .collect(),
                _ => s.into_bytes(),
            }
        })
}

proptest! {
    #![proptest_config(config(300))]

    /// Any feed-shaped bytes, in any encoding: no panic, and whatever is imported loads.
    #[test]
    fn feed_shaped_bytes_never_panic(bytes in feed_doc()) {
        let opts = folio::import::Options::default();
        if let Ok((articles, _)) = folio::import::import_bytes(Path::new("f.xml"), &bytes, &opts) {
            if !articles.is_empty() {
                let json = folio::corpus::to_corpus_json(&articles);
                prop_assert!(load_bytes("out.json", json.as_bytes()).is_ok());
            }
        }
        let _ = folio::import::feed::read_feed(&bytes);
    }
}

/// The articles a query finds, as a set.
fn found(text: &str) -> std::collections::BTreeSet<u32> {
    let (c, ix) = &corpora()[0];
    let q = query::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    engine::search(&c.articles, ix, &q, &engine::NoState, None)
        .iter()
        .map(|h| h.idx)
        .collect()
}

fn query_word() -> impl Strategy<Value = String> {
    proptest::sample::select(vec![
        "tencent",
        "alibaba",
        "bitcoin",
        "nft",
        "regulators",
        "battery",
        "tencnet",
        "\"digital yuan\"",
        "sector:crypto",
        "tag:nft",
        "date:2022",
        "entity:byd",
        "metaverse",
        "china",
        "wechat",
        "sector:auto,fintech",
    ])
    .prop_map(str::to_string)
}

proptest! {
    #![proptest_config(config(48))]

    /// `OR` and parentheses mean what set algebra says, with OR binding tighter than the
    /// implicit AND.
    #[test]
    fn or_and_parentheses_are_unions_intersections_and_complements(
        a in query_word(), b in query_word(), c in query_word()
    ) {
        let all: std::collections::BTreeSet<u32> =
            (0..corpora()[0].0.articles.len() as u32).collect();
        let (sa, sb, sc) = (found(&a), found(&b), found(&c));
        let union = |x: &std::collections::BTreeSet<u32>, y: &std::collections::BTreeSet<u32>| {
            x.union(y).copied().collect::<std::collections::BTreeSet<u32>>()
        };
        let inter = |x: &std::collections::BTreeSet<u32>, y: &std::collections::BTreeSet<u32>| {
            x.intersection(y).copied().collect::<std::collections::BTreeSet<u32>>()
        };
        let minus = |x: &std::collections::BTreeSet<u32>, y: &std::collections::BTreeSet<u32>| {
            x.difference(y).copied().collect::<std::collections::BTreeSet<u32>>()
        };
        prop_assert_eq!(found(&format!("{a} OR {b}")), union(&sa, &sb));
        prop_assert_eq!(found(&format!("({a} OR {b}) {c}")), inter(&union(&sa, &sb), &sc));
        prop_assert_eq!(found(&format!("{c} {a} OR {b}")), inter(&sc, &union(&sa, &sb)));
        prop_assert_eq!(found(&format!("-({a} {b})")), minus(&all, &inter(&sa, &sb)));
        prop_assert_eq!(found(&format!("-({a} OR {b})")), minus(&all, &union(&sa, &sb)));
        prop_assert_eq!(
            found(&format!("({a} -{c}) OR {b}")),
            union(&minus(&sa, &sc), &sb)
        );
        prop_assert_eq!(
            found(&format!("{a} OR ({b} {c}) OR -{c}")),
            union(&union(&sa, &inter(&sb, &sc)), &minus(&all, &sc))
        );
    }
}
