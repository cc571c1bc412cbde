//! Any bytes as a corpus file, through the in-memory loader and the streaming loader: no
//! panic, and what the first accepts the second loads the same.
#![no_main]

use folio::corpus::{load_bytes, stream};
use libfuzzer_sys::fuzz_target;
use std::io::Write;
use std::sync::atomic::AtomicU64;

fuzz_target!(|data: &[u8]| {
    let whole = load_bytes("fuzz.json", data);
    let dir = std::env::temp_dir().join(format!("folio-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("corpus.json");
    let written = std::fs::File::create(&path).and_then(|mut f| f.write_all(data));
    if written.is_err() {
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    let streamed = stream::load_streaming(&path, &AtomicU64::new(0));
    // The folder goes before anything is asserted, so no run leaves it behind.
    let _ = std::fs::remove_dir_all(&dir);
    {
        // What the in-memory loader accepts, the streaming one accepts the same. (The
        // streaming one checks each article as strictly but is lenient about the bytes
        // around them in a corpus object, which it never holds whole.)
        if let Ok(a) = &whole {
            match &streamed {
                Ok(b) => assert_eq!(a, b),
                Err(e) => panic!("in-memory loaded {} articles; streamed: {e}", a.len()),
            }
        }
    }
});
