//! RDF Dataset Canonicalization (RDFC-1.0, W3C Recommendation 2024) with SHA-256, and a work limit.
//!
//! The algorithm is followed step by step (section numbers in comments). The only addition is the limit:
//! every call of Hash N-Degree Quads and every permutation tried counts one step, and past
//! [`CanonLimits::max_steps`] canonicalization stops with [`JsonLdError::CanonicalizationLimit`]. Real
//! credentials need a handful of steps (most blank nodes get a unique first-degree hash); a crafted graph
//! of mutually linked blank nodes needs factorially many.

use std::collections::BTreeMap;

type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

use sha2::{Digest, Sha256};

use crate::JsonLdError;
use crate::rdf::{Quad, Term};

/// Bounds on canonicalization work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CanonLimits {
    /// Most N-degree hash calls plus permutations tried.
    pub max_steps: u64,
    /// Deepest recursion of Hash N-Degree Quads (a chain of look-alike blank nodes recurses along it).
    pub max_depth: usize,
}

impl Default for CanonLimits {
    /// 20,000 steps and 64 levels: a few milliseconds at worst. Credentials seen in the wild need fewer than 100.
    fn default() -> Self {
        CanonLimits {
            max_steps: 20_000,
            max_depth: 64,
        }
    }
}

/// Canonical N-Quads of `quads` (RDFC-1.0, SHA-256) under the default limits.
pub fn canonicalize(quads: &[Quad]) -> Result<String, JsonLdError> {
    canonicalize_with(quads, CanonLimits::default())
}

/// Canonical N-Quads of `quads` under `limits`. Duplicate quads count once (a dataset is a set).
pub fn canonicalize_with(quads: &[Quad], limits: CanonLimits) -> Result<String, JsonLdError> {
    let quads = distinct(quads);
    let canonical = issue_canonical(&quads, limits)?;
    // Step 6: relabel and sort.
    let label = relabel(&canonical);
    let mut lines = Lines::with_capacity(quads.len());
    for q in &quads {
        lines.push(|buf| q.write_with(buf, &label));
    }
    Ok(lines.sorted_concat())
}

/// The canonical N-Quads lines of `quads` (each with its newline, sorted, each once), with every canonical
/// blank node label (`c14n0`, `c14n1`, …) replaced by `replace(label)`: the label replacement that
/// selective-disclosure suites (ecdsa-sd-2023) verify with. A label `replace` does not know is an error.
pub fn canonicalize_relabeled(
    quads: &[Quad],
    limits: CanonLimits,
    replace: impl Fn(&str) -> Option<String>,
) -> Result<Vec<String>, JsonLdError> {
    let quads = distinct(quads);
    let canonical = issue_canonical(&quads, limits)?;
    let mut labels: HashMap<&str, String> = HashMap::default();
    for (original, c14n) in &canonical.issued {
        let new = replace(c14n).ok_or_else(|| {
            JsonLdError::Unsupported(format!("no replacement for the blank node label {c14n}"))
        })?;
        labels.insert(original, new);
    }
    let label = replaced(&labels);
    let mut lines = Lines::with_capacity(quads.len());
    for q in &quads {
        lines.push(|buf| q.write_with(buf, &label));
    }
    lines.sort();
    let mut out: Vec<String> = Vec::with_capacity(lines.spans.len());
    for &(a, b) in &lines.spans {
        let line = &lines.buf[a..b];
        if out.last().map(String::as_str) != Some(line) {
            out.push(line.to_owned());
        }
    }
    Ok(out)
}

/// A dataset is a set. Duplicates among quads with blank nodes would change the hashes, so they go here;
/// duplicates without blank nodes print as identical lines and go when the output is sorted.
fn distinct(quads: &[Quad]) -> Vec<&Quad> {
    let mut seen = HashSet::default();
    quads
        .iter()
        .filter(|q| q.blanks().next().is_none() || seen.insert(*q))
        .collect()
}

/// Steps 1–5 of 4.4.3: the canonical identifier of every blank node.
fn issue_canonical<'q>(
    quads: &'q [&'q Quad],
    limits: CanonLimits,
) -> Result<Issuer<'q>, JsonLdError> {
    let mut state = State {
        quads,
        blank_quads: HashMap::default(),
        canonical: Issuer::new("c14n"),
        steps: 0,
        limits,
    };
    // 4.4.3 step 2: blank node to quads map.
    for (i, q) in quads.iter().enumerate() {
        for b in q.blanks() {
            let list = state.blank_quads.entry(b).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    // Step 3: first-degree hashes, grouped by hash in code point order.
    let mut by_hash: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut first_degree: HashMap<&str, String> = HashMap::default();
    let mut blanks: Vec<&str> = state.blank_quads.keys().copied().collect();
    blanks.sort_unstable();
    for b in blanks {
        let h = state.hash_first_degree(b);
        by_hash.entry(h.clone()).or_default().push(b);
        first_degree.insert(b, h);
    }
    // Step 4: unique hashes get canonical identifiers in hash order.
    let mut shared = Vec::new();
    for (_, list) in by_hash {
        if list.len() == 1 {
            state.canonical.issue(list[0]);
        } else {
            shared.push(list);
        }
    }
    // Step 5: the rest, through N-degree hashes.
    for list in shared {
        let mut paths = Vec::new();
        for b in list {
            if state.canonical.get(b).is_some() {
                continue;
            }
            let mut temp = Issuer::new("b");
            temp.issue(b);
            paths.push(state.hash_n_degree(b, temp, &first_degree, 0)?);
        }
        paths.sort_by(|a, b| a.0.cmp(&b.0));
        for (_, issuer) in paths {
            for b in issuer.order {
                state.canonical.issue(b);
            }
        }
    }
    Ok(state.canonical)
}

/// Lines written into one buffer and sorted as slices (one allocation instead of one per line).
struct Lines {
    buf: String,
    spans: Vec<(usize, usize)>,
}

impl Lines {
    fn with_capacity(n: usize) -> Self {
        Lines {
            buf: String::with_capacity(n * 96),
            spans: Vec::with_capacity(n),
        }
    }

    fn push(&mut self, write: impl FnOnce(&mut String)) {
        let start = self.buf.len();
        write(&mut self.buf);
        self.spans.push((start, self.buf.len()));
    }

    fn sort(&mut self) {
        let buf = &self.buf;
        self.spans
            .sort_unstable_by(|a, b| buf.as_bytes()[a.0..a.1].cmp(&buf.as_bytes()[b.0..b.1]));
    }

    /// The lines in order, each once.
    fn sorted_concat(mut self) -> String {
        self.sort();
        let mut out = String::with_capacity(self.buf.len());
        let mut last: Option<&str> = None;
        for &(a, b) in &self.spans {
            let line = &self.buf[a..b];
            if last != Some(line) {
                out.push_str(line);
            }
            last = Some(line);
        }
        out
    }

    fn sorted_hash(mut self) -> String {
        self.sort();
        let mut h = Sha256::new();
        for &(a, b) in &self.spans {
            h.update(&self.buf.as_bytes()[a..b]);
        }
        hex(&h.finalize())
    }
}

fn replaced<'x>(labels: &'x HashMap<&str, String>) -> impl Fn(&'x str) -> &'x str + 'x {
    move |b| labels.get(b).map_or(b, String::as_str)
}

fn relabel<'x>(issuer: &'x Issuer<'_>) -> impl Fn(&'x str) -> &'x str + 'x {
    move |b| issuer.get(b).unwrap_or(b)
}

/// An identifier issuer (4.5): prefix + counter, remembering the order of issue.
#[derive(Clone)]
struct Issuer<'q> {
    prefix: &'static str,
    issued: HashMap<&'q str, String>,
    order: Vec<&'q str>,
}

impl<'q> Issuer<'q> {
    fn new(prefix: &'static str) -> Self {
        Issuer {
            prefix,
            issued: HashMap::default(),
            order: Vec::new(),
        }
    }

    fn get(&self, b: &str) -> Option<&str> {
        self.issued.get(b).map(String::as_str)
    }

    fn issue(&mut self, b: &'q str) -> String {
        if let Some(id) = self.issued.get(b) {
            return id.clone();
        }
        let id = format!("{}{}", self.prefix, self.order.len());
        self.issued.insert(b, id.clone());
        self.order.push(b);
        id
    }
}

struct State<'q> {
    quads: &'q [&'q Quad],
    blank_quads: HashMap<&'q str, Vec<usize>>,
    canonical: Issuer<'q>,
    steps: u64,
    limits: CanonLimits,
}

impl<'q> State<'q> {
    fn step(&mut self) -> Result<(), JsonLdError> {
        self.steps += 1;
        if self.steps > self.limits.max_steps {
            return Err(JsonLdError::CanonicalizationLimit(self.limits.max_steps));
        }
        Ok(())
    }

    /// 4.6 Hash First Degree Quads.
    fn hash_first_degree(&self, reference: &str) -> String {
        let list = &self.blank_quads[reference];
        let mut lines = Lines::with_capacity(list.len());
        for &i in list {
            lines.push(|buf| {
                self.quads[i].write_with(buf, &|b: &str| if b == reference { "a" } else { "z" })
            });
        }
        lines.sorted_hash()
    }

    /// 4.7 Hash Related Blank Node.
    fn hash_related(
        &self,
        related: &str,
        quad: &Quad,
        issuer: &Issuer<'q>,
        position: &str,
        first_degree: &HashMap<&str, String>,
    ) -> String {
        let mut input = String::with_capacity(128);
        input.push_str(position);
        if position != "g" {
            input.push('<');
            input.push_str(&quad.predicate);
            input.push('>');
        }
        if let Some(id) = self.canonical.get(related).or_else(|| issuer.get(related)) {
            input.push_str("_:");
            input.push_str(id);
        } else {
            input.push_str(&first_degree[related]);
        }
        hex(&Sha256::digest(input.as_bytes()))
    }

    /// 4.8 Hash N-Degree Quads.
    fn hash_n_degree(
        &mut self,
        identifier: &'q str,
        mut issuer: Issuer<'q>,
        first_degree: &HashMap<&str, String>,
        depth: usize,
    ) -> Result<(String, Issuer<'q>), JsonLdError> {
        self.step()?;
        if depth > self.limits.max_depth {
            return Err(JsonLdError::CanonicalizationLimit(self.limits.max_steps));
        }
        // Steps 1–3: related hash → related blank nodes.
        let mut hn: BTreeMap<String, Vec<&'q str>> = BTreeMap::new();
        for &i in &self.blank_quads[identifier] {
            let q = self.quads[i];
            let parts = [
                (Some(&q.subject), "s"),
                (Some(&q.object), "o"),
                (q.graph.as_ref(), "g"),
            ];
            for (term, position) in parts {
                if let Some(Term::Blank(b)) = term
                    && &**b != identifier
                {
                    let h = self.hash_related(b, q, &issuer, position, first_degree);
                    let list = hn.entry(h).or_default();
                    list.push(&**b);
                }
            }
        }
        // Step 5.
        let mut data = String::new();
        for (related_hash, list) in hn {
            data.push_str(&related_hash);
            let mut chosen_path = String::new();
            let mut chosen_issuer: Option<Issuer<'q>> = None;
            let mut perm = list;
            perm.sort_unstable();
            let mut permutations = Permutations::new(perm);
            'perm: while let Some(p) = permutations.next_perm() {
                self.step()?;
                let mut copy = issuer.clone();
                let mut path = String::new();
                let mut recursion = Vec::new();
                for &related in p {
                    if let Some(id) = self.canonical.get(related) {
                        path.push_str("_:");
                        path.push_str(id);
                    } else {
                        if copy.get(related).is_none() {
                            recursion.push(related);
                        }
                        path.push_str("_:");
                        path.push_str(&copy.issue(related));
                    }
                    if worse(&path, &chosen_path) {
                        continue 'perm;
                    }
                }
                for related in recursion {
                    let (hash, next) =
                        self.hash_n_degree(related, copy.clone(), first_degree, depth + 1)?;
                    copy = next;
                    path.push_str("_:");
                    path.push_str(&copy.issue(related));
                    path.push('<');
                    path.push_str(&hash);
                    path.push('>');
                    if worse(&path, &chosen_path) {
                        continue 'perm;
                    }
                }
                if chosen_path.is_empty() || path < chosen_path {
                    chosen_path = path;
                    chosen_issuer = Some(copy);
                }
            }
            data.push_str(&chosen_path);
            if let Some(c) = chosen_issuer {
                issuer = c;
            }
        }
        Ok((hex(&Sha256::digest(data.as_bytes())), issuer))
    }
}

/// Step 5.4.4.3 / 5.4.5.5: a path that cannot beat the chosen one.
fn worse(path: &str, chosen: &str) -> bool {
    !chosen.is_empty() && path.len() >= chosen.len() && path > chosen
}

/// All permutations of a list, in lexicographic order of positions (the order does not change the result).
struct Permutations<'q> {
    items: Vec<&'q str>,
    started: bool,
    done: bool,
}

impl<'q> Permutations<'q> {
    fn new(items: Vec<&'q str>) -> Self {
        Permutations {
            items,
            started: false,
            done: false,
        }
    }

    fn next_perm(&mut self) -> Option<&[&'q str]> {
        if self.done {
            return None;
        }
        if !self.started {
            self.started = true;
            return Some(&self.items);
        }
        // Next lexicographic permutation (items start sorted).
        let n = self.items.len();
        let Some(i) = (1..n).rev().find(|&i| self.items[i - 1] < self.items[i]) else {
            self.done = true;
            return None;
        };
        let j = (i..n)
            .rev()
            .find(|&j| self.items[j] > self.items[i - 1])
            .unwrap_or(i);
        self.items.swap(i - 1, j);
        self.items[i..].reverse();
        Some(&self.items)
    }
}

fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permutations_are_all_there() {
        let mut p = Permutations::new(vec!["a", "b", "c"]);
        let mut seen = Vec::new();
        while let Some(x) = p.next_perm() {
            seen.push(x.concat());
        }
        assert_eq!(seen, ["abc", "acb", "bac", "bca", "cab", "cba"]);
    }
}
