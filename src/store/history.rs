//! The search history, kept between runs (newest last).

use std::path::Path;

pub fn load(path: &Path) -> Vec<String> {
    std::fs::read(path)
        .ok()
        .and_then(|b| serde_json::from_slice::<Vec<String>>(&b).ok())
        .unwrap_or_default()
}

pub fn save(path: &Path, history: &[String]) -> std::io::Result<()> {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d)?;
    }
    let json = serde_json::to_string_pretty(history).map_err(std::io::Error::other)?;
    super::file::write_atomic(path, json.as_bytes())
}
