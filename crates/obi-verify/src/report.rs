//! The verification report: `verified`, the steps taken, the findings, and what a holder sees.

use obi_core::{Finding, Severity};
use serde::Serialize;
use serde_json::Value;

/// How one step of verification went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    /// The step ran and the badge passed it.
    Passed,
    /// The step ran and the badge failed it: the badge is not verified.
    Failed,
    /// The step did not apply or could not run; `detail` says why.
    Skipped,
}

/// Which credential a check looked at: the one presented, or the one its `refreshService` served in its
/// place (OB 3.0 only; see [`VerifyReport::refreshed_from`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum About {
    /// The credential as presented (every check, unless a refresh replaced it).
    #[default]
    Presented,
    /// The credential the presented one's refresh service served, which replaced it.
    Refreshed,
}

impl About {
    fn is_presented(&self) -> bool {
        *self == About::Presented
    }
}

/// One step of verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Step name: `input`, `schema`, `proof`, `status`, `validity`, `recipient`, …
    pub name: &'static str,
    /// Its outcome.
    pub status: CheckStatus,
    /// What happened, in plain words.
    pub detail: String,
    /// Which credential it looked at (left out of the JSON when it is the presented one).
    #[serde(skip_serializing_if = "About::is_presented")]
    pub about: About,
}

/// A presented OB 3.0 credential replaced by the one its `refreshService` served.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RefreshedFrom {
    /// The presented credential's id (empty when it has none).
    pub presented: String,
    /// The refreshed credential's id (empty when it has none).
    pub refreshed: String,
    /// The refresh service URL that served it.
    pub url: String,
}

/// What a holder, or a certification Displayer, shows for the badge.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Display {
    /// The badge (achievement) name.
    pub name: Option<String>,
    /// Its description.
    pub description: Option<String>,
    /// Its image (URL or data URI).
    pub image: Option<String>,
    /// The issuer's name.
    pub issuer_name: Option<String>,
    /// The issuer's id.
    pub issuer: Option<String>,
    /// When it was issued (validFrom / issuedOn).
    pub issued_on: Option<String>,
    /// When it expires (validUntil / expires).
    pub expires: Option<String>,
    /// `active`, `revoked`, `suspended`, or `unknown` when no status could be checked.
    pub status: Option<String>,
}

/// The result of verifying one badge. There is deliberately no `valid` field: a well-formed but revoked
/// badge is not verified, and `verified` is the only verdict.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyReport {
    /// Where the badge came from (file name or URL), as given.
    pub input: String,
    /// True when every check that ran passed.
    pub verified: bool,
    /// `3.0`, `2.0`, `1.1`, … when known.
    pub open_badges_version: Option<String>,
    /// How it is secured: `data-integrity`, `vc-jwt`, `hosted`, `signed`, or `none`.
    pub format: &'static str,
    /// Each step, in order.
    pub checks: Vec<Check>,
    /// Every problem found, with rule ids (obi-core's format).
    pub findings: Vec<Finding>,
    /// Whether one of the given recipient identities matched (`None` when none was given).
    pub recipient_matched: Option<bool>,
    /// What to show.
    pub display: Display,
    /// The badge's documents as verified (normalized).
    pub graph: Vec<Value>,
    /// When an OB 3.0 credential was replaced by the one its refresh service served: both ids and the URL.
    /// Checks from `schema` on say which of the two they looked at ([`Check::about`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refreshed_from: Option<RefreshedFrom>,
}

/// The rule of the finding made when the bound on requests stops a step.
pub(crate) const REQUEST_LIMIT_RULE: &str = "VERIFY_REQUEST_LIMIT";

impl VerifyReport {
    /// `check` could not finish: the verification reached its bound on requests (`limit`) and `url` (the
    /// first refused) was not fetched. A finding, and the check failed.
    pub(crate) fn request_limit(&mut self, check: &'static str, limit: usize, url: Option<&str>) {
        let not_fetched = url
            .map(|u| format!(" ({u} and any later request not made)"))
            .unwrap_or_default();
        let what = if check == "requests" {
            "this verification".to_owned()
        } else {
            format!("the {check} check")
        };
        let message = format!(
            "{what} needed more requests than the {limit} one verification may make{not_fetched}"
        );
        self.finding(
            REQUEST_LIMIT_RULE,
            "",
            message.clone(),
            "VerifyOptions::max_requests raises the bound; a badge that needs this many requests may be \
             built to turn verifiers into request generators",
        );
        self.fail(check, message);
    }

    pub(crate) fn new(input: &str) -> Self {
        VerifyReport {
            input: input.to_owned(),
            verified: false,
            open_badges_version: None,
            format: "none",
            checks: Vec::new(),
            findings: Vec::new(),
            recipient_matched: None,
            display: Display::default(),
            graph: Vec::new(),
            refreshed_from: None,
        }
    }

    pub(crate) fn check(
        &mut self,
        name: &'static str,
        status: CheckStatus,
        detail: impl Into<String>,
    ) {
        self.checks.push(Check {
            name,
            status,
            detail: detail.into(),
            about: About::Presented,
        });
    }

    pub(crate) fn pass(&mut self, name: &'static str, detail: impl Into<String>) {
        self.check(name, CheckStatus::Passed, detail);
    }

    pub(crate) fn fail(&mut self, name: &'static str, detail: impl Into<String>) {
        self.check(name, CheckStatus::Failed, detail);
    }

    pub(crate) fn skip(&mut self, name: &'static str, detail: impl Into<String>) {
        self.check(name, CheckStatus::Skipped, detail);
    }

    pub(crate) fn finding(
        &mut self,
        rule: &'static str,
        path: &str,
        message: impl Into<String>,
        hint: &str,
    ) {
        self.findings.push(Finding {
            rule,
            severity: Severity::Error,
            node: None,
            path: path.to_owned(),
            message: message.into(),
            hint: hint.to_owned(),
        });
    }

    /// Record the recipient check: `matched` is the identity that matched, if one did; otherwise a finding
    /// under `rule` at `path`.
    pub(crate) fn recipient_outcome(
        &mut self,
        matched: Option<&str>,
        rule: &'static str,
        path: &str,
        hint: &str,
    ) {
        self.recipient_matched = Some(matched.is_some());
        match matched {
            Some(who) => self.pass("recipient", format!("awarded to {who}")),
            None => {
                self.finding(
                    rule,
                    path,
                    "none of the given identities is the recipient",
                    hint,
                );
                self.fail("recipient", "not awarded to any of the given identities");
            }
        }
    }

    /// Settle `verified` from the checks: none failed, and the presented credential's own proof passed (a
    /// refreshed credential's proof never stands in for it).
    pub(crate) fn finish(mut self) -> Self {
        self.verified = !self.checks.is_empty()
            && self.checks.iter().all(|c| c.status != CheckStatus::Failed)
            && self.checks.iter().any(|c| {
                c.name == "proof" && c.status == CheckStatus::Passed && c.about == About::Presented
            });
        self
    }
}
