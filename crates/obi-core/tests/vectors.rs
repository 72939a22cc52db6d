//! Runs every OB 2.0 vector under `tests/vectors/ob2/`: `{source, description, now, input, docs, expect}`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use obi_core::v2::{Docs, ValidateOptions, validate};

fn vector_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors/ob2")
}

#[test]
fn ob2_vectors() {
    let mut count = 0;
    let mut failures = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(vector_dir())
        .expect("vector dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.sort();
    for path in paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
        assert!(
            v["source"].as_str().is_some_and(|s| !s.is_empty()),
            "{} cites no source",
            path.display()
        );
        let mut docs = Docs::new();
        for (url, doc) in v["docs"].as_object().into_iter().flatten() {
            docs.insert(url.clone(), doc.clone());
        }
        let now = v["now"]
            .as_str()
            .expect("now")
            .parse()
            .expect("now is RFC 3339");
        let report = validate(&v["input"], &docs, &ValidateOptions::at(now));
        let rules: BTreeSet<&str> = report.error_rules().into_iter().collect();
        let want: BTreeSet<&str> = v["expect"]["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .filter_map(|r| r.as_str())
            .collect();
        if report.valid != v["expect"]["valid"].as_bool().expect("valid") || rules != want {
            failures.push(format!(
                "{}: valid={} rules={rules:?}, expected {}\n{:#?}",
                path.display(),
                report.valid,
                v["expect"],
                report.findings
            ));
        }
        for f in &report.findings {
            assert!(
                !f.hint.is_empty(),
                "{}: finding without a hint: {f:?}",
                path.display()
            );
        }
        count += 1;
    }
    assert!(count >= 15, "only {count} vectors found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
