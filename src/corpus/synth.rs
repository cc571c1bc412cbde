//! Synthetic corpora for benchmarks and tests: deterministic for a seed, with realistic
//! title (~80 bytes) and body (~6.8 KB) lengths, the ten sectors, tags, entities, dates over
//! five years (a few undated) and some CJK text.

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

/// The `i`th article of a synthetic corpus, as JSON.
fn article(r: &mut Rng, i: usize) -> serde_json::Value {
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
            para.push_str(&sentence(r, 8, 24));
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
    let tags: Vec<&str> = (0..=r.below(4)).map(|_| r.pick(TAGS)).collect();
    let entities = vec![company, r.pick(REGULATORS), r.pick(PLACES)];
    let source = ["TechNode", "CoinTrust", "Caixin", "Pandaily", "KrASIA"][r.below(5)];
    serde_json::json!({
        "id": format!("gen-{i:06}"),
        "title": title,
        "body": body,
        "date": date,
        "sector": SECTORS[r.below(SECTORS.len())],
        "tags": tags,
        "entities": entities,
        "source": source,
        "url": format!("https://example.com/a/{i}"),
    })
}

/// Write `n` articles (seeded) to `out`: JSON Lines, or the corpus format.
pub fn write(
    n: usize,
    seed: u64,
    jsonl: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut r = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    if !jsonl {
        out.write_all(b"{\"version\": 1, \"articles\": [\n")?;
    }
    for i in 0..n {
        let line = serde_json::to_string(&article(&mut r, i)).map_err(std::io::Error::other)?;
        out.write_all(line.as_bytes())?;
        if !jsonl && i + 1 < n {
            out.write_all(b",")?;
        }
        out.write_all(b"\n")?;
    }
    if !jsonl {
        out.write_all(b"]}\n")?;
    }
    Ok(())
}

/// `n` articles (seeded) in memory.
pub fn articles(n: usize, seed: u64) -> Vec<super::Article> {
    let mut buf = Vec::new();
    let _ = write(n, seed, true, &mut buf);
    super::load_bytes("<synthetic>", &buf).unwrap_or_default()
}
