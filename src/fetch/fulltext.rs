//! Full text on demand: an article's page fetched and its readable part extracted by
//! `dom_smoothie` (a port of Mozilla's Readability), then rendered as folio writes text
//! (`import::html`), links numbered. For feeds that publish only a summary.

use super::http::{Client, Outcome, Validators};

/// The readable text of a fetched page, as the corpus's paragraphs.
pub fn extract(html: &str, url: &str) -> Result<Vec<String>, String> {
    let mut r = dom_smoothie::Readability::new(html, Some(url), None)
        .map_err(|e| format!("the page could not be read: {e}"))?;
    let article = r
        .parse()
        .map_err(|e| format!("no article found on the page: {e}"))?;
    let paras = crate::import::html::render(&article.content, Some(url)).into_paragraphs();
    let words: usize = paras
        .iter()
        .filter(|p| !p.starts_with(crate::import::html::LINKS_HEADING))
        .map(|p| p.split_whitespace().count())
        .sum();
    if words < 20 {
        return Err("the page holds no article text to speak of".into());
    }
    Ok(paras)
}

/// Fetch `url` and extract its text.
pub fn fetch(client: &Client, url: &str) -> Result<String, String> {
    match client.get(url, &Validators::default()) {
        Ok(Outcome::Fetched(f)) => {
            let page = crate::import::encoding::decode(&f.body);
            extract(&page.text, &f.final_url).map(|p| p.join("\n\n"))
        }
        Ok(Outcome::NotModified { .. }) => Err("the server answered 304 to a plain request".into()),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_article_is_found_among_the_chrome() {
        let mut body = String::new();
        for i in 0..8 {
            body.push_str(&format!("<p>Paragraph {i} of the story tells what happened at the plant, who said what, and what comes next for the workers.</p>"));
        }
        let html = format!(
            "<html><head><title>Story</title></head><body><nav><a href=\"/\">Home</a> <a href=\"/about\">About</a></nav>\
             <article><h1>Story</h1>{body}<p>See <a href=\"/more\">more</a>.</p></article>\
             <footer>Copyright. Subscribe to our newsletter.</footer></body></html>"
        );
        let p = extract(&html, "https://news.example/2024/story").expect("extracted");
        let text = p.join("\n\n");
        assert!(text.contains("Paragraph 7 of the story"), "{text}");
        assert!(!text.contains("newsletter"), "{text}");
        assert!(text.contains("https://news.example/more"), "{text}");
        assert!(extract(
            "<html><body><p>Too short.</p></body></html>",
            "https://x.example/"
        )
        .is_err());
    }
}
