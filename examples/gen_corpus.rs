//! A synthetic corpus for benchmarks: `cargo run --release --example gen_corpus -- N SEED OUT`
//! (OUT ending in .jsonl writes JSON Lines, anything else the corpus format). Deterministic
//! for a seed; see `folio::corpus::synth`.

use std::io::{BufWriter, Write};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(42);
    let out = args
        .get(3)
        .cloned()
        .unwrap_or_else(|| "corpus-100k.json".into());
    let f = std::fs::File::create(&out).expect("create output");
    let mut w = BufWriter::with_capacity(1 << 20, f);
    folio::corpus::synth::write(
        n,
        seed,
        std::path::Path::new(&out)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("jsonl")),
        &mut w,
    )
    .expect("write");
    w.flush().expect("flush");
}
