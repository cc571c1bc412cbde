//! Any bytes as a corpus file, through the in-memory loader and the streaming loader (mapped
//! and chunked); all three must agree on what they accept.
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
    let Ok(mut f) = std::fs::File::create(&path) else {
        return;
    };
    if f.write_all(data).is_err() {
        return;
    }
    drop(f);
    for map in [true, false] {
        let streamed = stream::load_streaming_with(&path, &AtomicU64::new(0), map);
        assert_eq!(
            whole.is_ok(),
            streamed.is_ok(),
            "in-memory {:?} vs streamed (map {map}) {:?}",
            whole.as_ref().err(),
            streamed.as_ref().err()
        );
        if let (Ok(a), Ok(b)) = (&whole, &streamed) {
            assert_eq!(a.len(), b.len());
        }
    }
});
