//! Opening links and copying text for the reader: `$BROWSER` or the system's opener (off the
//! UI thread, nothing it prints reaching the screen), OSC 52 and tmux's paste buffer.

/// Open a web link with `$BROWSER` when set, else the system's opener (`opener`), with no
/// way to write on the screen. Only http(s) links: a corpus is untrusted, and a link that is
/// a local file, a script or an option is not opened.
pub fn open_url(url: &str) -> Result<(), String> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://"))
        || url.chars().any(char::is_control)
    {
        return Err(format!(
            "not opened: {} is not a web link",
            crate::text::one_line(url)
        ));
    }
    match std::env::var("BROWSER") {
        Ok(b) if !b.trim().is_empty() => open_with_browser_var(&b, url),
        _ => opener::open(url).map_err(|e| format!("could not open the link: {e}")),
    }
}

/// `$BROWSER` as the convention has it: commands separated by `:`, each with `%s` where the
/// link goes (else the link is the last argument); the first that starts is used. Its
/// input and output are thrown away, so nothing it prints reaches the screen.
fn open_with_browser_var(var: &str, url: &str) -> Result<(), String> {
    let mut last = String::new();
    for cmd in var.split(':').map(str::trim).filter(|c| !c.is_empty()) {
        let mut words: Vec<String> = cmd.split_whitespace().map(str::to_string).collect();
        if words.iter().any(|w| w.contains("%s")) {
            for w in &mut words {
                *w = w.replace("%s", url);
            }
        } else {
            words.push(url.to_string());
        }
        let (prog, args) = words.split_first().ok_or("empty $BROWSER")?;
        match std::process::Command::new(prog)
            .args(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
        {
            Ok(mut child) => {
                // Reaped here, off the UI thread, whenever it ends.
                std::thread::spawn(move || child.wait());
                return Ok(());
            }
            Err(e) => last = format!("{prog}: {e}"),
        }
    }
    Err(format!("could not open the link with $BROWSER ({last})"))
}

/// Inside tmux, also put the text in tmux's paste buffer, which tmux does with an OSC 52
/// sequence only when its `set-clipboard` is `on` (not its default): by `tmux set-buffer`,
/// off the UI thread, its output thrown away.
pub fn copy_to_tmux(text: &str) {
    if std::env::var_os("TMUX").is_none() {
        return;
    }
    let text = text.to_string();
    std::thread::spawn(move || {
        let quiet = |c: &mut std::process::Command| {
            c.stdin(std::process::Stdio::null())
                .stderr(std::process::Stdio::null());
        };
        let mut show = std::process::Command::new("tmux");
        show.args(["show-options", "-gv", "set-clipboard"]);
        quiet(&mut show);
        let on = show
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "on");
        if !on {
            let mut set = std::process::Command::new("tmux");
            set.args(["set-buffer", "--", &text])
                .stdout(std::process::Stdio::null());
            quiet(&mut set);
            let _ = set.status();
        }
    });
}

/// Put text on the clipboard with an OSC 52 escape sequence: terminals (and tmux, and
/// terminals over SSH) take it from the program's output.
pub fn copy_osc52(out: &mut impl std::io::Write, text: &str) -> std::io::Result<()> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    write!(out, "\x1b]52;c;{b64}\x07")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_links_are_opened() {
        for bad in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "--help",
            "https://x\n--y",
        ] {
            assert!(open_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn browser_var_takes_alternatives_and_the_link_placeholder() {
        let dir = tempfile::tempdir().expect("tmp");
        let log = dir.path().join("args.txt");
        let script = dir.path().join("b.sh");
        std::fs::write(
            &script,
            format!("#!/bin/sh\necho \"$@\" > {}\n", log.display()),
        )
        .expect("script");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
                .expect("chmod");
        }
        let var = format!("/no/such/browser:{} --new-tab %s", script.display());
        open_with_browser_var(&var, "https://example.com/a").expect("opens");
        let start = std::time::Instant::now();
        while !log.exists() && start.elapsed() < std::time::Duration::from_secs(5) {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert_eq!(
            std::fs::read_to_string(&log).expect("ran").trim(),
            "--new-tab https://example.com/a"
        );
        assert!(open_with_browser_var("/no/such/one", "https://example.com").is_err());
    }
}
