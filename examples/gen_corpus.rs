//! A synthetic corpus for benchmarks: `cargo run --release --example gen_corpus -- N SEED OUT`
//! (OUT ending in .jsonl writes JSON Lines, anything else the corpus format). Deterministic for
//! a seed: realistic title (~80 bytes) and body (~6.8 KB) lengths, the ten sectors, tags,
//! entities, dates over five years (a few undated), and some CJK text.

use std::io::{BufWriter, Write};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len())]
    }
}

const SECTORS: &[&str] = &[
    "Policy & Regulation",
    "Blockchain & Crypto",
    "Metaverse & XR",
    "Fintech & Payments",
    "Auto & EV",
    "E-commerce & Retail",
    "Semiconductors & Hardware",
    "Content & Entertainment",
    "Data & Cloud",
    "Capital Markets",
];
const COMPANIES: &[&str] = &[
    "Tencent",
    "Alibaba",
    "Baidu",
    "ByteDance",
    "Huawei",
    "Xiaomi",
    "BYD",
    "NIO",
    "XPeng",
    "JD.com",
    "Pinduoduo",
    "Meituan",
    "Ant Group",
    "NetEase",
    "Bilibili",
    "Kuaishou",
    "SMIC",
    "Binance",
    "OKX",
    "Li Auto",
    "Geely",
    "CATL",
    "Didi",
    "iQiyi",
    "SenseTime",
];
const REGULATORS: &[&str] = &[
    "PBOC",
    "CSRC",
    "CAC",
    "MIIT",
    "SAMR",
    "NDRC",
    "State Council",
];
const PLACES: &[&str] = &[
    "Beijing",
    "Shanghai",
    "Shenzhen",
    "Hong Kong",
    "Hangzhou",
    "Sichuan",
    "Singapore",
];
const TAGS: &[&str] = &[
    "nft",
    "crypto",
    "crypto-mining",
    "digital-yuan",
    "ev",
    "ipo",
    "antitrust",
    "data-security",
    "metaverse",
    "e-commerce",
    "semiconductors",
    "gaming",
    "ai",
    "payments",
    "cloud",
    "5g",
];
const VERBS: &[&str] = &[
    "launches",
    "unveils",
    "expands",
    "cuts",
    "invests in",
    "partners with",
    "faces probe over",
    "reports record",
    "plans",
    "delays",
    "wins approval for",
    "scales back",
];
const NOUNS: &[&str] = &[
    "electric vehicle platform",
    "digital yuan pilot",
    "NFT marketplace",
    "cloud unit",
    "chip factory",
    "metaverse app",
    "payments service",
    "data center",
    "IPO",
    "gaming studio",
    "e-commerce festival",
    "AI model",
    "battery plant",
    "crypto exchange",
    "streaming service",
];
const WORDS: &[&str] = &[
    "the",
    "company",
    "said",
    "market",
    "regulators",
    "growth",
    "quarter",
    "revenue",
    "users",
    "platform",
    "investors",
    "policy",
    "China",
    "technology",
    "industry",
    "billion",
    "yuan",
    "according",
    "analysts",
    "expected",
    "new",
    "rules",
    "data",
    "government",
    "shares",
    "sales",
    "services",
    "digital",
    "plans",
    "report",
    "percent",
    "year",
    "last",
    "also",
    "would",
    "which",
    "its",
    "from",
    "with",
    "that",
    "for",
    "and",
    "in",
    "of",
    "to",
    "a",
    "on",
    "as",
];
const CJK: &[&str] = &[
    "比亚迪",
    "腾讯",
    "阿里巴巴",
    "数字人民币",
    "元宇宙",
    "电动汽车",
    "监管",
    "市场",
];

fn sentence(r: &mut Rng, min: usize, max: usize) -> String {
    let n = min + r.below(max - min + 1);
    let mut s = String::new();
    for i in 0..n {
        let w = if r.below(12) == 0 {
            r.pick(COMPANIES)
        } else {
            r.pick(WORDS)
        };
        if i == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                s.extend(f.to_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            s.push(' ');
            s.push_str(w);
        }
    }
    s.push('.');
    s
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(42);
    let out = args
        .get(3)
        .cloned()
        .unwrap_or_else(|| "corpus-100k.json".into());
    let jsonl = out.ends_with(".jsonl");
    let mut r = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let f = std::fs::File::create(&out).expect("create output");
    let mut w = BufWriter::with_capacity(1 << 20, f);
    if !jsonl {
        w.write_all(b"{\"version\": 1, \"articles\": [\n")
            .expect("write");
    }
    for i in 0..n {
        let company = r.pick(COMPANIES);
        let mut title = format!(
            "{company} {} {} in {}",
            r.pick(VERBS),
            r.pick(NOUNS),
            r.pick(PLACES)
        );
        if r.below(20) == 0 {
            title = format!("{} {title}", r.pick(CJK));
        }
        while title.len() < 70 {
            title.push(' ');
            title.push_str(r.pick(WORDS));
        }
        let mut body = String::with_capacity(7200);
        while body.len() < 6300 + r.below(1000) {
            let mut para = String::new();
            for _ in 0..(3 + r.below(4)) {
                if !para.is_empty() {
                    para.push(' ');
                }
                para.push_str(&sentence(&mut r, 8, 24));
            }
            if r.below(30) == 0 {
                para.push(' ');
                para.push_str(r.pick(CJK));
                para.push_str("的最新进展。");
            }
            if !body.is_empty() {
                body.push_str("\n\n");
            }
            body.push_str(&para);
        }
        let year = 2021 + r.below(5);
        let date = match r.below(20) {
            0 => None,
            1 => Some(format!("{year}")),
            2..=5 => Some(format!("{year}-{:02}", 1 + r.below(12))),
            _ => Some(format!(
                "{year}-{:02}-{:02}",
                1 + r.below(12),
                1 + r.below(28)
            )),
        };
        let tags: Vec<&str> = (0..(1 + r.below(4))).map(|_| r.pick(TAGS)).collect();
        let entities = vec![company, r.pick(REGULATORS), r.pick(PLACES)];
        let source = ["TechNode", "CoinTrust", "Caixin", "Pandaily", "KrASIA"][r.below(5)];
        let article = serde_json::json!({
            "id": format!("gen-{i:06}"),
            "title": title,
            "body": body,
            "date": date,
            "sector": SECTORS[r.below(SECTORS.len())],
            "tags": tags,
            "entities": entities,
            "source": source,
            "url": format!("https://example.com/a/{i}"),
        });
        let line = serde_json::to_string(&article).expect("json");
        w.write_all(line.as_bytes()).expect("write");
        if !jsonl && i + 1 < n {
            w.write_all(b",").expect("write");
        }
        w.write_all(b"\n").expect("write");
    }
    if !jsonl {
        w.write_all(b"]}\n").expect("write");
    }
    w.flush().expect("flush");
}
