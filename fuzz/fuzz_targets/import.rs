//! Any bytes through `folio import` as each kind of file it reads.
#![no_main]

use folio::import::{import_bytes, Options};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let opts = Options::default();
    let kind = data.first().copied().unwrap_or(0) % 4;
    let name = ["in.txt", "in.xml", "in.json", "in.jsonl"][usize::from(kind)];
    let body = data.get(1..).unwrap_or(&[]);
    if let Ok((articles, report)) = import_bytes(Path::new(name), body, &opts) {
        let _ = report.summary();
        let json = folio::corpus::to_corpus_json(&articles);
        // What import writes, the loader reads.
        if !articles.is_empty() {
            folio::corpus::load_bytes("out.json", json.as_bytes()).expect("import output loads");
        }
    }
});
