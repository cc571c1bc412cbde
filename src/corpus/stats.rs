//! `folio stats`: the shape of a corpus at a glance.

use super::Article;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Stats {
    pub articles: usize,
    pub undated: usize,
    pub unsectored: usize,
    pub sectors: BTreeMap<String, usize>,
    /// Per year-month ("2023-06"); articles dated only to a year count under "2023".
    pub months: BTreeMap<String, usize>,
    pub sources: BTreeMap<String, usize>,
}

impl Stats {
    pub fn of(articles: &[Article]) -> Stats {
        let mut st = Stats {
            articles: articles.len(),
            undated: 0,
            unsectored: 0,
            sectors: BTreeMap::new(),
            months: BTreeMap::new(),
            sources: BTreeMap::new(),
        };
        for a in articles {
            match &a.sector {
                Some(s) => *st.sectors.entry(s.clone()).or_default() += 1,
                None => st.unsectored += 1,
            }
            match a.date {
                Some(d) => {
                    let key = d.truncate(super::Precision::Month).to_string();
                    *st.months.entry(key).or_default() += 1;
                }
                None => st.undated += 1,
            }
            let src = a.source.clone().unwrap_or_else(|| "(no source)".into());
            *st.sources.entry(src).or_default() += 1;
        }
        st
    }

    /// A plain-text report with bars.
    pub fn render(&self) -> String {
        fn table(out: &mut String, title: &str, rows: &[(String, usize)], total: usize) {
            out.push_str(&format!("\n{title}\n"));
            let w = rows
                .iter()
                .map(|(k, _)| crate::text::width(k))
                .max()
                .unwrap_or(0);
            let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1);
            for (k, n) in rows {
                let bar = "█".repeat((n * 30).div_ceil(max));
                let pct = (*n as f64) * 100.0 / (total.max(1) as f64);
                out.push_str(&format!(
                    "  {}  {n:>5}  {pct:>5.1}%  {bar}\n",
                    crate::text::pad(&crate::text::one_line(k), w)
                ));
            }
        }
        let mut out = format!(
            "{} articles · {} undated · {} without a sector\n",
            self.articles, self.undated, self.unsectored
        );
        let mut sectors: Vec<(String, usize)> =
            self.sectors.iter().map(|(k, v)| (k.clone(), *v)).collect();
        sectors.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        if self.unsectored > 0 {
            sectors.push(("(no sector)".into(), self.unsectored));
        }
        table(&mut out, "Sectors", &sectors, self.articles);
        let mut months: Vec<(String, usize)> = self
            .months
            .iter()
            .rev()
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        if self.undated > 0 {
            months.push(("(undated)".into(), self.undated));
        }
        table(&mut out, "Months (newest first)", &months, self.articles);
        let mut sources: Vec<(String, usize)> =
            self.sources.iter().map(|(k, v)| (k.clone(), *v)).collect();
        sources.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        table(&mut out, "Sources", &sources, self.articles);
        out
    }
}
