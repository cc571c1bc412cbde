//! Facet counts over a result set: sectors, tags, sources, years and months.

/// One facet value and how many results have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetValue {
    pub value: String,
    pub count: usize,
    /// How many of them are unread (as many as `count` where the state is not known).
    pub unread: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub sectors: Vec<FacetValue>,
    pub tags: Vec<FacetValue>,
    pub sources: Vec<FacetValue>,
    /// Years, newest first.
    pub years: Vec<FacetValue>,
    /// Per month ("2023-06"), oldest first: the histogram.
    pub months: Vec<FacetValue>,
    pub undated: usize,
}

/// Count the facets of the articles at `hits` by the index's numbers (no hashing of strings).
pub fn count_indexed(ix: &super::Index, hits: impl Iterator<Item = usize>) -> Facets {
    count_with_state(ix, hits, &|_| false)
}

/// Count the facets of the articles at `hits`, and of those `read` says are unread.
#[allow(clippy::too_many_lines)]
pub fn count_with_state(
    ix: &super::Index,
    hits: impl Iterator<Item = usize>,
    read: &dyn Fn(usize) -> bool,
) -> Facets {
    use super::engine::NONE;
    // (all, unread) per value.
    let mut sectors = vec![(0usize, 0usize); ix.sector_names.len()];
    let mut tags = vec![(0usize, 0usize); ix.tag_names.len()];
    let mut sources = vec![(0usize, 0usize); ix.source_names.len()];
    // Years 1900-2155 and their months in a table (others in a map): no map per article.
    const FIRST: i32 = 1900;
    let mut table = vec![(0usize, 0usize); 256 * 13];
    let mut other: std::collections::BTreeMap<(i32, u8), (usize, usize)> =
        std::collections::BTreeMap::default();
    let mut undated = 0;
    let add = |slot: &mut (usize, usize), unread: usize| {
        slot.0 += 1;
        slot.1 += unread;
    };
    let mut one = |i: usize| {
        let unread = usize::from(!read(i));
        if ix.sector[i] != NONE {
            add(&mut sectors[ix.sector[i] as usize], unread);
        }
        for &t in &ix.tags[i] {
            add(&mut tags[t as usize], unread);
        }
        if ix.source[i] != NONE {
            add(&mut sources[ix.source[i] as usize], unread);
        }
        match ix.dates[i] {
            Some((y, m)) => match usize::try_from(y - FIRST) {
                Ok(k) if k < 256 => add(&mut table[k * 13 + usize::from(m.min(12))], unread),
                _ => add(other.entry((y, m)).or_default(), unread),
            },
            None => undated += 1,
        }
    };
    // Many results are counted in the articles' order (the tables read front to back);
    // a few, as they come.
    let hits: Vec<usize> = hits.collect();
    if hits.len() > 20_000 {
        let mut marked = vec![false; ix.sector.len()];
        for &i in &hits {
            if let Some(m) = marked.get_mut(i) {
                *m = true;
            }
        }
        for (i, &m) in marked.iter().enumerate() {
            if m {
                one(i);
            }
        }
    } else {
        for &i in &hits {
            one(i);
        }
    }
    let mut years: std::collections::BTreeMap<i32, (usize, usize)> =
        std::collections::BTreeMap::default();
    let mut months: std::collections::BTreeMap<(i32, u8), (usize, usize)> =
        std::collections::BTreeMap::default();
    let sum = |into: &mut (usize, usize), c: (usize, usize)| {
        into.0 += c.0;
        into.1 += c.1;
    };
    for (k, &c) in table.iter().enumerate() {
        if c.0 > 0 {
            let (y, m) = (FIRST + (k / 13) as i32, (k % 13) as u8);
            sum(years.entry(y).or_default(), c);
            if m > 0 {
                sum(months.entry((y, m)).or_default(), c);
            }
        }
    }
    for ((y, m), c) in other {
        sum(years.entry(y).or_default(), c);
        if m > 0 {
            sum(months.entry((y, m)).or_default(), c);
        }
    }
    let list = |counts: Vec<(usize, usize)>, names: &[String]| {
        let mut v: Vec<FacetValue> = counts
            .into_iter()
            .enumerate()
            .filter(|(_, c)| c.0 > 0)
            .map(|(i, (count, unread))| FacetValue {
                value: names[i].clone(),
                count,
                unread,
            })
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        v
    };
    Facets {
        sectors: list(sectors, &ix.sector_display),
        tags: list(tags, &ix.tag_display),
        sources: list(sources, &ix.source_display),
        years: years
            .into_iter()
            .rev()
            .map(|(y, (count, unread))| FacetValue {
                value: y.to_string(),
                count,
                unread,
            })
            .collect(),
        months: months
            .into_iter()
            .map(|((y, m), (count, unread))| FacetValue {
                value: format!("{y:04}-{m:02}"),
                count,
                unread,
            })
            .collect(),
        undated,
    }
}
