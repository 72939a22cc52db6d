//! Findings and reports: what validation found, as data.

use serde::Serialize;
use serde_json::Value;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Breaks the specification: the document is not valid.
    Error,
    /// Allowed, but likely to cause trouble; does not affect validity.
    Warning,
    /// Worth knowing (for example, a referenced node that was not checked); does not affect validity.
    Info,
}

/// One thing validation found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable UPPER_SNAKE rule id; the official validator's task name where it has one.
    pub rule: &'static str,
    /// How bad it is.
    pub severity: Severity,
    /// The id of the node the finding is about (blank node ids for embedded objects without one).
    pub node: Option<String>,
    /// JSON pointer to the offending value within that node.
    pub path: String,
    /// What is wrong, in plain words.
    pub message: String,
    /// One sentence telling the issuer how to fix it.
    pub hint: String,
}

/// The result of validating one input.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// True when no finding is an error.
    pub valid: bool,
    /// `2.0`, `1.1`, `1.0`, `0.5` (as given; 1.x and 0.5 are upgraded to 2.0 for validation).
    pub open_badges_version: Option<String>,
    /// The id of the validated document.
    pub subject: Option<String>,
    /// Number of error findings.
    pub error_count: usize,
    /// Number of warning findings.
    pub warning_count: usize,
    /// Every finding, in the order found.
    pub findings: Vec<Finding>,
    /// The normalized 2.0 nodes.
    pub graph: Vec<Value>,
}

impl Report {
    /// Build a report from findings; counts and `valid` are derived.
    pub fn new(
        version: Option<String>,
        subject: Option<String>,
        findings: Vec<Finding>,
        graph: Vec<Value>,
    ) -> Self {
        let error_count = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        let warning_count = findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count();
        Report {
            valid: error_count == 0,
            open_badges_version: version,
            subject,
            error_count,
            warning_count,
            findings,
            graph,
        }
    }

    /// The distinct rule ids of the error findings, sorted.
    pub fn error_rules(&self) -> Vec<&'static str> {
        let mut r: Vec<_> = self
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.rule)
            .collect();
        r.sort_unstable();
        r.dedup();
        r
    }
}

/// Escape one JSON pointer segment (RFC 6901).
pub fn pointer_segment(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}
