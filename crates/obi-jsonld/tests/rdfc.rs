//! RDFC-1.0 and JSON-LD → RDF, checked three ways: the 1EdTech OB 3.0 test vector byte for byte, the W3C
//! RDFC-1.0 test suite (shipped inside the `rdf-canon` crate package, a dev-dependency for that reason),
//! and jsonld.js + rdf-canonize (the `rdfc` peer) on every OB 3.0 fixture of the 1EdTech validator.

#![allow(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use obi_jsonld::{CanonLimits, JsonLdError, Literal, Quad, Term, canonicalize, to_rdf};
use serde_json::{Value, json};

const DIR: &str = env!("CARGO_MANIFEST_DIR");

fn canon(doc: &Value) -> String {
    canonicalize(&to_rdf(doc).unwrap()).unwrap()
}

#[test]
fn obv3p0_vector_byte_for_byte() {
    let dir = "spec/ob3/test-vectors/obv3p0";
    let text = obi_testkit::shared_text(DIR, &format!("{dir}/signed-credential.json"));
    let mut signed: Value = serde_json::from_str(&text).unwrap();
    let proof = signed.as_object_mut().unwrap().remove("proof").unwrap();
    assert_eq!(
        canon(&signed),
        obi_testkit::shared_text(DIR, &format!("{dir}/document-canon.txt"))
    );
    let mut config = proof.clone();
    let c = config.as_object_mut().unwrap();
    c.remove("proofValue");
    c.insert("@context".into(), signed["@context"].clone());
    assert_eq!(
        canon(&config),
        obi_testkit::shared_text(DIR, &format!("{dir}/proof-canon.txt"))
    );
}

/// The W3C suite's folder inside cargo's copy of the rdf-canon package.
fn w3c_suite() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .expect("CARGO_HOME or HOME");
    let src = home.join("registry/src");
    for index in std::fs::read_dir(&src)
        .expect("cargo registry sources")
        .flatten()
    {
        let mut versions: Vec<PathBuf> = std::fs::read_dir(index.path())
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("rdf-canon-0.15"))
            })
            .collect();
        versions.sort();
        if let Some(v) = versions.pop() {
            return v.join("tests");
        }
    }
    panic!("rdf-canon package not found under {}", src.display());
}

#[test]
fn w3c_rdfc10_suite() {
    let root = w3c_suite();
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("manifest.jsonld")).unwrap())
            .unwrap();
    let (mut passed, mut failed, mut skipped) = (0, Vec::new(), 0);
    for entry in manifest["entries"].as_array().unwrap() {
        let id = entry["id"].as_str().unwrap();
        let kind = entry["type"].as_str().unwrap();
        let input = parse_nquads(
            &std::fs::read_to_string(root.join(entry["action"].as_str().unwrap())).unwrap(),
        );
        match kind {
            "rdfc:RDFC10EvalTest" if entry.get("hashAlgorithm").is_none() => {
                let expected =
                    std::fs::read_to_string(root.join(entry["result"].as_str().unwrap())).unwrap();
                match canonicalize(&input) {
                    Ok(got) if got == expected => passed += 1,
                    Ok(got) => failed.push(format!("{id}: got\n{got}\nexpected\n{expected}")),
                    Err(e) => failed.push(format!("{id}: {e}")),
                }
            }
            "rdfc:RDFC10NegativeEvalTest" => {
                let start = Instant::now();
                match canonicalize(&input) {
                    Err(JsonLdError::CanonicalizationLimit(_)) => passed += 1,
                    other => failed.push(format!("{id}: expected a refusal, got {other:?}")),
                }
                assert!(
                    start.elapsed() < Duration::from_secs(5),
                    "{id} took {:?}",
                    start.elapsed()
                );
            }
            // Map tests check the issued-identifier map, which obi does not expose; SHA-384 tests a hash
            // that no proof obi handles uses.
            _ => skipped += 1,
        }
    }
    assert!(
        failed.is_empty(),
        "{} failed:\n{}",
        failed.len(),
        failed.join("\n\n")
    );
    assert_eq!(passed, 64, "passed {passed}, skipped {skipped}");
}

/// A poison graph as a credential: n evidence nodes, each pointing at all the others.
fn clique(n: usize) -> Value {
    let ids: Vec<String> = (0..n).map(|i| format!("_:e{i}")).collect();
    let evidence: Vec<Value> = ids
        .iter()
        .map(|id| {
            json!({"id": id, "type": ["Evidence"], "https://example.org/seeAlso": ids.iter().filter(|o| *o != id).map(|o| json!({"@id": o})).collect::<Vec<_>>()})
        })
        .collect();
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "evidence": evidence,
    })
}

#[test]
fn poison_graphs_are_refused_quickly() {
    for n in [8, 10, 30] {
        let quads = to_rdf(&clique(n)).unwrap();
        let start = Instant::now();
        let e = canonicalize(&quads).unwrap_err();
        assert!(matches!(e, JsonLdError::CanonicalizationLimit(_)), "{e}");
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "n={n}: {:?}",
            start.elapsed()
        );
    }
    // A small clique is legitimate work and completes.
    canonicalize(&to_rdf(&clique(3)).unwrap()).unwrap();
    // 10,000 blank nodes in a chain: linear work, no refusal, no stack overflow.
    let mut quads = Vec::new();
    for i in 0..10_000 {
        quads.push(Quad {
            subject: Term::Blank(format!("n{i}").into()),
            predicate: "https://example.org/next".into(),
            object: Term::Blank(format!("n{}", i + 1).into()),
            graph: None,
        });
    }
    let start = Instant::now();
    let r = obi_jsonld::canonicalize_with(&quads, CanonLimits::default());
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    assert!(r.is_ok() || matches!(r, Err(JsonLdError::CanonicalizationLimit(_))));
}

#[test]
fn safe_mode_names_what_would_be_dropped() {
    let base = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:1",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
    });
    let mut undefined = base.clone();
    undefined["favouriteColour"] = json!("blue");
    match to_rdf(&undefined).unwrap_err() {
        JsonLdError::Expansion { path, message } => {
            assert_eq!(path, "/favouriteColour");
            assert!(message.contains("not defined"), "{message}");
        }
        e => panic!("{e}"),
    }
    let mut bad_type = base.clone();
    bad_type["type"] = json!(["VerifiableCredential", "MadeUpCredential"]);
    assert!(
        to_rdf(&bad_type)
            .unwrap_err()
            .to_string()
            .contains("MadeUpCredential")
    );
    let mut relative = base.clone();
    relative["id"] = json!("credentials/1");
    assert!(
        to_rdf(&relative)
            .unwrap_err()
            .to_string()
            .contains("relative")
    );
    let mut unknown_ctx = base.clone();
    unknown_ctx["@context"][1] = json!("https://example.org/ctx.json");
    assert_eq!(
        to_rdf(&unknown_ctx).unwrap_err(),
        JsonLdError::UnknownContext("https://example.org/ctx.json".into())
    );
    let mut redefine = base;
    redefine["@context"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "https://example.org/notid"}));
    assert!(
        matches!(to_rdf(&redefine).unwrap_err(), JsonLdError::ProtectedTermRedefinition(t) if t == "id")
    );
}

/// A context obi does not carry is refused by URL until it is given; bundled ones cannot be replaced.
#[test]
fn extra_contexts_are_given_not_fetched() {
    let url = "https://example.org/contexts/favourite-colour.json";
    let mut doc = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", url],
        "id": "urn:uuid:2", "type": ["VerifiableCredential"], "favouriteColour": "blue",
    });
    assert_eq!(
        to_rdf(&doc).unwrap_err(),
        JsonLdError::UnknownContext(url.into())
    );
    assert!(obi_jsonld::register_context(
        url,
        json!({"@context": {"favouriteColour": "https://example.org/vocab#favouriteColour"}})
    ));
    let quads = to_rdf(&doc).unwrap();
    assert!(
        quads
            .iter()
            .any(|q| &*q.predicate == "https://example.org/vocab#favouriteColour")
    );
    assert!(!obi_jsonld::register_context(
        "https://www.w3.org/ns/credentials/v2",
        json!({"@context": {}})
    ));
    doc["@context"][1] = json!("https://example.org/never-given.json");
    assert!(to_rdf(&doc).is_err());
}

/// Every OB 3.0 JSON fixture of the 1EdTech validator (and the peers' sample credential), canonicalized by
/// obi and by jsonld.js + rdf-canonize: identical bytes, or both refuse.
#[test]
fn matches_rdf_canonize_on_the_validator_fixtures() {
    let mut files: Vec<PathBuf> = Vec::new();
    let fixtures = obi_testkit::shared(DIR, "spec/ob3/validator-fixtures/ob30");
    collect(&fixtures, &mut files);
    files.push(obi_testkit::shared(
        DIR,
        "peers/ob3-node/testdata/sample-ob3.signed.json",
    ));
    files.push(obi_testkit::shared(
        DIR,
        "spec/ob3/test-vectors/obv3p0/controller-document.json",
    ));
    let (mut same, mut both_refuse) = (0, 0);
    for f in &files {
        let path = f.to_str().unwrap();
        let Some(out) = obi_testkit::run_peer(DIR, "rdfc", &["--strip-proof", path]) else {
            return;
        };
        let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        if let Some(o) = doc.as_object_mut() {
            o.remove("proof");
        }
        let ours = to_rdf(&doc).and_then(|q| canonicalize(&q));
        match (out.status.success(), ours) {
            (true, Ok(n)) => {
                assert_eq!(n, String::from_utf8_lossy(&out.stdout), "{path}");
                same += 1;
            }
            (false, Err(e)) => {
                eprintln!("both refuse {path}: obi: {e}");
                both_refuse += 1
            }
            (peer_ok, ours) => panic!(
                "{path}: peer ok={peer_ok} ({}), obi {ours:?}",
                String::from_utf8_lossy(&out.stderr)
            ),
        }
    }
    eprintln!("rdfc peer: {same} identical, {both_refuse} refused by both");
    assert!(
        same >= 26 && both_refuse <= 12,
        "{same} identical, {both_refuse} refused"
    );
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
    out.sort();
}

/// A small N-Quads reader for the W3C test inputs.
fn parse_nquads(text: &str) -> Vec<Quad> {
    let mut quads = Vec::new();
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let mut rest = line;
        let mut terms = Vec::new();
        while !rest.starts_with('.') {
            let (t, r) = term(rest);
            terms.push(t);
            rest = r.trim_start();
        }
        let iri = |t: &Term| match t {
            Term::Iri(i) => i.clone(),
            other => panic!("predicate {other:?}"),
        };
        quads.push(Quad {
            subject: terms[0].clone(),
            predicate: iri(&terms[1]),
            object: terms[2].clone(),
            graph: terms.get(3).cloned(),
        });
    }
    quads
}

fn term(s: &str) -> (Term, &str) {
    if let Some(r) = s.strip_prefix('<') {
        let end = r.find('>').unwrap();
        return (Term::Iri(unescape(&r[..end]).into()), &r[end + 1..]);
    }
    if let Some(r) = s.strip_prefix("_:") {
        let end = r.find(|c: char| c.is_whitespace()).unwrap();
        return (Term::Blank(r[..end].into()), &r[end..]);
    }
    let r = s.strip_prefix('"').expect("literal");
    let mut end = 0;
    let bytes = r.as_bytes();
    while bytes[end] != b'"' {
        end += if bytes[end] == b'\\' { 2 } else { 1 };
    }
    let value = unescape(&r[..end]);
    let mut rest = &r[end + 1..];
    let mut lit = Literal {
        value,
        datatype: obi_jsonld::xsd::STRING.into(),
        language: None,
    };
    if let Some(l) = rest.strip_prefix('@') {
        let e = l.find(|c: char| c.is_whitespace()).unwrap();
        lit.language = Some(l[..e].to_owned());
        lit.datatype = obi_jsonld::xsd::LANG_STRING.into();
        rest = &l[e..];
    } else if let Some(d) = rest.strip_prefix("^^<") {
        let e = d.find('>').unwrap();
        lit.datatype = unescape(&d[..e]).into();
        rest = &d[e + 1..];
    }
    (Term::Literal(lit), rest)
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next().unwrap() {
            't' => out.push('\t'),
            'b' => out.push('\u{8}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            'f' => out.push('\u{c}'),
            '"' => out.push('"'),
            '\'' => out.push('\''),
            '\\' => out.push('\\'),
            u @ ('u' | 'U') => {
                let n = if u == 'u' { 4 } else { 8 };
                let hex: String = chars.by_ref().take(n).collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
            }
            other => panic!("escape \\{other}"),
        }
    }
    out
}

mod oracle {
    //! Random small datasets, canonicalized by obi and by rdf-canonize (the JavaScript reference, from the
    //! ob3-node peer's install) in one batch: the same bytes wherever both canonicalize. And obi's output
    //! does not change when blank nodes are renamed or quads reordered.

    use std::io::Write as _;
    use std::process::Command;

    use obi_jsonld::{Literal, Quad, Term, canonicalize, nquads};
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    fn blank(b: u8) -> Term {
        Term::Blank(format!("n{b}").into())
    }

    fn object(blanks: u8) -> impl Strategy<Value = Term> {
        prop_oneof![
            (0..blanks).prop_map(blank),
            (0..3u8).prop_map(|i| Term::Iri(format!("urn:ex:{i}").into())),
            prop::sample::select(vec![
                "plain",
                "tab\there",
                "quote\"",
                "é∞",
                "",
                "nl\nbell\u{7}"
            ])
            .prop_map(Term::string),
            Just(Term::Literal(Literal {
                value: "3".into(),
                datatype: obi_jsonld::xsd::INTEGER.into(),
                language: None
            })),
            Just(Term::Literal(Literal {
                value: "hi".into(),
                datatype: obi_jsonld::xsd::LANG_STRING.into(),
                language: Some("en".into())
            })),
        ]
    }

    fn dataset() -> impl Strategy<Value = Vec<Quad>> {
        (1..7u8).prop_flat_map(|blanks| {
            prop::collection::vec(
                (
                    prop_oneof![
                        3 => (0..blanks).prop_map(blank),
                        1 => (0..2u8).prop_map(|i| Term::Iri(format!("urn:s:{i}").into()))
                    ],
                    (0..3u8).prop_map(|p| format!("urn:p:{p}")),
                    object(blanks),
                    prop::option::weighted(
                        0.3,
                        prop_oneof![(0..blanks).prop_map(blank), Just(Term::Iri("urn:g".into()))],
                    ),
                ),
                1..18,
            )
            .prop_map(|qs| {
                qs.into_iter()
                    .map(|(subject, p, object, graph)| Quad {
                        subject,
                        predicate: p.into(),
                        object,
                        graph,
                    })
                    .collect()
            })
        })
    }

    /// rdf-canonize on each N-Quads document; `None` where it refuses (its default work limit is strict).
    fn reference(docs: &[String]) -> Option<Vec<Option<String>>> {
        let modules = obi_testkit::ob3_node_modules()?;
        let mut input = tempfile::NamedTempFile::new().unwrap();
        input
            .write_all(serde_json::to_string(docs).unwrap().as_bytes())
            .unwrap();
        let script = r#"
            const canon = require('rdf-canonize');
            const docs = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));
            (async () => {
              const out = [];
              for (const d of docs) {
                try { out.push(await canon.canonize(d, {algorithm: 'RDFC-1.0', inputFormat: 'application/n-quads'})); }
                catch (e) { out.push(null); }
              }
              process.stdout.write(JSON.stringify(out));
            })();
        "#;
        let out = Command::new("node")
            .env("NODE_PATH", &modules)
            .args(["-e", script, input.path().to_str().unwrap()])
            .output()
            .expect("node");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(serde_json::from_slice(&out.stdout).unwrap())
    }

    #[test]
    fn matches_rdf_canonize_on_random_datasets() {
        let mut runner = TestRunner::deterministic();
        let strategy = dataset();
        let sets: Vec<Vec<Quad>> = (0..2000)
            .map(|_| strategy.new_tree(&mut runner).unwrap().current())
            .collect();
        let docs: Vec<String> = sets.iter().map(|q| nquads(q)).collect();
        let Some(expected) = reference(&docs) else {
            return;
        };
        let mut compared = 0;
        for (i, (q, want)) in sets.iter().zip(&expected).enumerate() {
            if let (Ok(got), Some(want)) = (canonicalize(q), want) {
                assert_eq!(&got, want, "dataset {i}:\n{}", docs[i]);
                compared += 1;
            }
        }
        eprintln!("rdf-canonize: {compared} of 2000 random datasets compared, all identical");
        assert!(compared >= 1500, "only {compared} of 2000 compared");
    }

    /// Known disagreement: the `rdf-canon` crate (0.15.3) labels a blank node that is both the subject and
    /// the graph name of one quad differently from the specification; rdf-canonize and obi agree (the
    /// first-degree hashes, computed by hand: n1 15447e80… < n0 ed42217f…, so n1 is c14n0).
    #[test]
    fn rdf_canon_crate_disagrees_on_a_self_naming_graph() {
        let text = "_:n0 <urn:p:2> \"3\"^^<http://www.w3.org/2001/XMLSchema#integer> _:n0 .\n\
                    _:n0 <urn:p:1> _:n0 .\n_:n1 <urn:p:0> <urn:ex:1> _:n1 .\n_:n0 <urn:p:0> <urn:ex:0> .\n\
                    _:n0 <urn:p:0> _:n0 .\n_:n0 <urn:p:0> _:n0 _:n1 .\n";
        let quads = super::parse_nquads(text);
        let ours = canonicalize(&quads).unwrap();
        assert!(
            ours.starts_with("_:c14n0 <urn:p:0> <urn:ex:1> _:c14n0 .\n"),
            "{ours}"
        );
        let ox: Vec<oxrdf::Quad> = quads.iter().map(to_ox).collect();
        let theirs = rdf_canon::canonicalize_quads(&ox).unwrap();
        assert_ne!(
            ours, theirs,
            "rdf-canon fixed its labelling: drop this test"
        );
        if let Some(reference) = reference(&[text.to_owned()]) {
            assert_eq!(reference[0].as_deref(), Some(ours.as_str()));
        }
    }

    fn to_ox(q: &Quad) -> oxrdf::Quad {
        let subject: oxrdf::Subject = match &q.subject {
            Term::Iri(i) => oxrdf::NamedNode::new_unchecked(i.to_string()).into(),
            Term::Blank(b) => oxrdf::BlankNode::new_unchecked(b.to_string()).into(),
            Term::Literal(_) => unreachable!("literal subject"),
        };
        let object: oxrdf::Term = match &q.object {
            Term::Iri(i) => oxrdf::NamedNode::new_unchecked(i.to_string()).into(),
            Term::Blank(b) => oxrdf::BlankNode::new_unchecked(b.to_string()).into(),
            Term::Literal(l) => oxrdf::Literal::new_typed_literal(
                l.value.clone(),
                oxrdf::NamedNode::new_unchecked(l.datatype.to_string()),
            )
            .into(),
        };
        let graph: oxrdf::GraphName = match &q.graph {
            None => oxrdf::GraphName::DefaultGraph,
            Some(Term::Iri(i)) => oxrdf::NamedNode::new_unchecked(i.to_string()).into(),
            Some(Term::Blank(b)) => oxrdf::BlankNode::new_unchecked(b.to_string()).into(),
            Some(Term::Literal(_)) => unreachable!("literal graph"),
        };
        oxrdf::Quad::new(
            subject,
            oxrdf::NamedNode::new_unchecked(q.predicate.to_string()),
            object,
            graph,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn independent_of_labels_and_order(quads in dataset(), seed in any::<u64>()) {
            let renamed: Vec<Quad> = quads
                .iter()
                .rev()
                .map(|q| {
                    let r = |t: &Term| match t {
                        Term::Blank(b) => Term::Blank(format!("x{seed}{b}").into()),
                        other => other.clone(),
                    };
                    Quad { subject: r(&q.subject), predicate: q.predicate.clone(), object: r(&q.object), graph: q.graph.as_ref().map(r) }
                })
                .collect();
            prop_assert_eq!(canonicalize(&quads).ok(), canonicalize(&renamed).ok());
        }
    }
}
