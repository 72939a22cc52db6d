//! Class 5: OB 2.0 trusts a node only as fetched from its own id. A document whose declared id is not the
//! (final) URL it came from is discarded and its declared id fetched once; an embedded issuer or badge
//! class is only a pointer to its published copy; a node whose id cannot be fetched is never trusted for
//! keys, verification policy or revocation list.
//!
//! The helpers at the top (one small world of issuer, badge class, key and assertion documents) are shared
//! with `one_or_many`.

use std::sync::LazyLock;

use obi_sign::{KeyType, SecretKey};
use obi_verify::{CheckStatus, VerifyReport};
use serde_json::{Value, json};

use super::support::{Ob2Case, assert_peer};

pub(super) const V2: &str = "https://w3id.org/openbadges/v2";
// Every URL is on one of the case's two loopback origins: {{BASE}} is the issuer's, {{BASE2}} the
// attacker's (see `support::Ob2Case`).
pub(super) const ISSUER: &str = "{{BASE}}/issuer";
pub(super) const BADGE: &str = "{{BASE}}/badge";
pub(super) const KEY: &str = "{{BASE}}/key";
pub(super) const LIST: &str = "{{BASE}}/revoked";
pub(super) const ASSERTION: &str = "{{BASE}}/assertions/1";
pub(super) const EVIL: &str = "{{BASE2}}/assertions/1";
pub(super) const EVIL_KEY: &str = "{{BASE2}}/key";
pub(super) const SIGNED_ID: &str = "urn:uuid:6b0e4f0e-2a3c-4b7e-9d51-3f1c2a7b8e01";

/// The issuer's RSA key (one for the whole test binary: RSA generation is slow in debug builds).
pub(super) static ISSUER_KEY: LazyLock<SecretKey> =
    LazyLock::new(|| SecretKey::generate(KeyType::Rsa).unwrap());
/// The attacker's RSA key.
pub(super) static ATTACKER_KEY: LazyLock<SecretKey> =
    LazyLock::new(|| SecretKey::generate(KeyType::Rsa).unwrap());

pub(super) fn issuer() -> Value {
    json!({"@context": V2, "type": "Issuer", "id": ISSUER, "name": "Issuer",
        "url": "{{BASE}}", "email": "badges@issuer.example", "publicKey": KEY})
}

pub(super) fn badge() -> Value {
    json!({"@context": V2, "type": "BadgeClass", "id": BADGE, "name": "Expert", "description": "d",
        "image": "data:image/png;base64,iVBORw0KGgo=", "criteria": {"narrative": "do it"}, "issuer": ISSUER})
}

pub(super) fn key_doc(id: &str, owner: &str, key: &SecretKey) -> Value {
    json!({"@context": V2, "type": "CryptographicKey", "id": id, "owner": owner,
        "publicKeyPem": key.public().to_pem().unwrap()})
}

/// A hosted assertion with id `id`.
pub(super) fn hosted(id: &str) -> Value {
    json!({"@context": V2, "type": "Assertion", "id": id,
        "recipient": {"type": "email", "hashed": false, "identity": "alice@example.org"},
        "badge": BADGE, "verification": {"type": "HostedBadge"}, "issuedOn": "2024-01-01T00:00:00Z"})
}

/// A signed assertion (before signing).
pub(super) fn signed() -> Value {
    json!({"@context": V2, "type": "Assertion", "id": SIGNED_ID,
        "recipient": {"type": "email", "hashed": false, "identity": "alice@example.org"},
        "badge": BADGE, "verification": {"type": "SignedBadge", "creator": KEY},
        "issuedOn": "2024-01-01T00:00:00Z"})
}

/// The issuer's published documents (profile, badge class, key), plus `extra` (URL → document; a later
/// one for the same URL wins).
pub(super) fn world(extra: &[(&str, Value)]) -> Vec<(String, Value)> {
    let mut docs = vec![
        (ISSUER.to_owned(), issuer()),
        (BADGE.to_owned(), badge()),
        (KEY.to_owned(), key_doc(KEY, ISSUER, &ISSUER_KEY)),
    ];
    docs.extend(extra.iter().map(|(u, d)| ((*u).to_owned(), d.clone())));
    docs
}

/// Case `name`: verify the badge at `url` with `docs` served.
pub(super) async fn at_url(
    name: &'static str,
    url: &str,
    docs: Vec<(String, Value)>,
) -> VerifyReport {
    Ob2Case::url(name, url).serve_all(docs).verify().await
}

/// Case `name`: verify `assertion` signed with `key`, as a JWS, with `docs` served.
pub(super) async fn jws(
    name: &'static str,
    assertion: &Value,
    key: &'static SecretKey,
    docs: Vec<(String, Value)>,
) -> VerifyReport {
    Ob2Case::jws(name, assertion.clone(), key)
        .serve_all(docs)
        .verify()
        .await
}

/// The control: verified.
pub(super) fn verified(r: &VerifyReport) {
    assert!(r.verified, "the control must verify: {:#?}", r.checks);
}

/// The attack: not verified, and the check `check` failed saying `why`.
pub(super) fn refused(r: &VerifyReport, check: &str, why: &str) {
    assert!(!r.verified, "verified an attack: {:#?}", r.checks);
    assert!(
        r.checks
            .iter()
            .any(|c| c.name == check && c.status == CheckStatus::Failed && c.detail.contains(why)),
        "no failed {check} check saying {why:?}: {:#?}",
        r.checks
    );
}

/// The 1EdTech validator's stored answer on case `name`.
pub(super) fn validator(name: &str, verified: bool) {
    assert_peer(name, "ob2-validate", Some(verified));
}

// --- embedded nodes are pointers to their published copies ---------------------------------------------

#[tokio::test]
async fn an_embedded_issuer_cannot_bring_its_own_allowed_origins() {
    // The attacker hosts an assertion on its own origin; the badge class is embedded and names the real
    // issuer, "adding" the attacker's origin to its allowedOrigins.
    let embedded = |id: &str| {
        let mut a = hosted(id);
        a["badge"] = json!({"type": "BadgeClass", "id": "_:b0", "name": "Expert", "description": "d",
            "image": "data:image/png;base64,iVBORw0KGgo=", "criteria": {"narrative": "do it"},
            "issuer": {"id": ISSUER, "type": "Issuer", "name": "Issuer", "url": "{{BASE}}",
                "email": "badges@issuer.example",
                "verification": {"allowedOrigins": ["{{HOST2}}", "{{HOST}}"]}}});
        a
    };
    let docs = world(&[(EVIL, embedded(EVIL)), (ASSERTION, embedded(ASSERTION))]);
    refused(
        &at_url("ob2_embedded_issuer_origins", EVIL, docs.clone()).await,
        "proof",
        "allowed origins",
    );
    verified(&at_url("ob2_embedded_issuer_origins_control", ASSERTION, docs).await);
    // HOSTED_ID_IN_VERIFICATION_SCOPE ("not hosted in allowed origins {{HOST}}"): it re-fetches the
    // embedded issuer by id (FLATTEN_EMBEDDED_RESOURCE), as obi does.
    validator("ob2_embedded_issuer_origins", false);
    validator("ob2_embedded_issuer_origins_control", true);
}

#[tokio::test]
async fn an_embedded_issuer_without_a_fetchable_id_is_never_trusted() {
    let embedded = |id: &str, issuer_id: Option<&str>| {
        let mut a = hosted(id);
        let mut issuer = json!({"type": "Issuer", "name": "Issuer", "url": "{{BASE2}}",
            "email": "x@attacker.example", "verification": {"startsWith": "{{BASE2}}/"}});
        if let Some(i) = issuer_id {
            issuer["id"] = json!(i);
        }
        a["badge"] = json!({"type": "BadgeClass", "id": "_:b0", "name": "Expert", "description": "d",
            "image": "data:image/png;base64,iVBORw0KGgo=", "criteria": {"narrative": "do it"}, "issuer": issuer});
        a
    };
    // The policy is a startsWith: the validator refuses an allowedOrigins with a port (URL_AUTHORITY), so
    // on loopback an allowedOrigins would fail there for that reason alone.
    let urn = "urn:uuid:0d8e0b8a-1f55-4b8e-8c1e-7d5b0c7f1a22";
    let docs = world(&[(EVIL, embedded(EVIL, None))]);
    refused(
        &at_url("ob2_embedded_issuer_no_id", EVIL, docs).await,
        "proof",
        "has no id",
    );
    let docs = world(&[(EVIL, embedded(EVIL, Some(urn)))]);
    refused(
        &at_url("ob2_embedded_issuer_urn", EVIL, docs).await,
        "proof",
        "cannot be fetched",
    );
    // Control: the same embedded badge class pointing at the published issuer, hosted where it allows.
    let mut ok = embedded(ASSERTION, Some(ISSUER));
    ok["badge"]["issuer"] = json!(ISSUER);
    verified(
        &at_url(
            "ob2_embedded_badge_control",
            ASSERTION,
            world(&[(ASSERTION, ok)]),
        )
        .await,
    );
    // Fooled: only warnings ("Issuer _:... has no HTTP domain to enforce hosted verification policy
    // against"): the attacker's assertion, under an issuer of its own making, is valid there.
    validator("ob2_embedded_issuer_no_id", true);
    // FETCH_HTTP_NODE: it tries to fetch the urn ("No connection adapters were found").
    validator("ob2_embedded_issuer_urn", false);
    validator("ob2_embedded_badge_control", true);
}

#[tokio::test]
async fn an_embedded_issuer_cannot_bring_its_own_key() {
    // Signed with the attacker's key, which the embedded copy of the real issuer "lists".
    let mut a = signed();
    a["verification"]["creator"] = json!(EVIL_KEY);
    let mut b = badge();
    b["issuer"] = json!({"id": ISSUER, "type": "Issuer", "name": "Issuer", "url": "{{BASE}}",
        "email": "badges@issuer.example", "publicKey": EVIL_KEY});
    b.as_object_mut().unwrap().remove("id");
    a["badge"] = b;
    let docs = world(&[(EVIL_KEY, key_doc(EVIL_KEY, ISSUER, &ATTACKER_KEY))]);
    refused(
        &jws("ob2_embedded_issuer_key", &a, &ATTACKER_KEY, docs).await,
        "proof",
        "not the issuer's",
    );
    // Control: the real key.
    verified(&signed_control().verify().await);
    // VERIFY_KEY_OWNERSHIP: "signed by a key {{BASE2}}/key other than those authorized by issuer profile"
    // (the profile as fetched from its id).
    validator("ob2_embedded_issuer_key", false);
    validator("ob2_signed_control", true);
}

#[tokio::test]
async fn a_signed_badge_whose_issuer_is_a_urn_brings_no_key() {
    let urn = "urn:uuid:5a1f3c2e-7b6d-4e8f-9a0b-1c2d3e4f5a6b";
    let mut a = signed();
    a["verification"]["creator"] = json!(EVIL_KEY);
    let mut b = badge();
    b.as_object_mut().unwrap().remove("id");
    b["issuer"] = json!({"id": urn, "type": "Issuer", "name": "Issuer", "url": "{{BASE}}",
        "email": "badges@issuer.example", "publicKey": {"id": EVIL_KEY, "owner": urn}});
    a["badge"] = b;
    let docs = world(&[(EVIL_KEY, key_doc(EVIL_KEY, urn, &ATTACKER_KEY))]);
    refused(
        &jws("ob2_urn_issuer_key", &a, &ATTACKER_KEY, docs).await,
        "proof",
        "cannot be fetched from its id",
    );
    verified(&signed_control().verify().await);
    // FETCH_HTTP_NODE: it tries to fetch the urn.
    validator("ob2_urn_issuer_key", false);
}

#[tokio::test]
async fn an_embedded_issuer_cannot_swap_the_revocation_list() {
    // The real issuer revokes the assertion; the embedded copy points at an empty list of the attacker's.
    let evil_list = "{{BASE2}}/list";
    // Two entries: the validator misses the only entry of a one-entry list (see below).
    let revoked = json!({"@context": V2, "type": "RevocationList", "id": LIST,
        "revokedAssertions": [{"id": SIGNED_ID, "revocationReason": "cheated"}, "urn:uuid:00000000-0000-4000-8000-000000000000"]});
    let empty = json!({"@context": V2, "type": "RevocationList", "id": evil_list,
        "revokedAssertions": []});
    let mut real_issuer = issuer();
    real_issuer["revocationList"] = json!(LIST);
    let mut a = signed();
    let mut b = badge();
    b["issuer"] = json!({"id": ISSUER, "type": "Issuer", "name": "Issuer", "url": "{{BASE}}",
        "email": "badges@issuer.example", "publicKey": KEY, "revocationList": evil_list});
    a["badge"] = b;
    let docs = world(&[
        (ISSUER, real_issuer.clone()),
        (LIST, revoked),
        (evil_list, empty.clone()),
    ]);
    refused(
        &jws("ob2_embedded_issuer_list", &a, &ISSUER_KEY, docs).await,
        "status",
        "cheated",
    );
    // Control: the real issuer's list does not name it.
    let mut clean = empty;
    clean["id"] = json!(LIST);
    let docs = world(&[(ISSUER, real_issuer), (LIST, clean)]);
    verified(&jws("ob2_embedded_issuer_list_control", &a, &ISSUER_KEY, docs).await);
    // VERIFY_SIGNED_ASSERTION_NOT_REVOKED ("... with reason: cheated"): the real issuer's list, re-fetched.
    validator("ob2_embedded_issuer_list", false);
    validator("ob2_embedded_issuer_list_control", true);
}

// --- a document speaks only for the URL it was fetched from ---------------------------------------------

#[tokio::test]
async fn a_profile_declaring_the_victims_id_is_not_the_victims_profile() {
    // The attacker's badge class names the attacker's profile URL, which declares the victim issuer's id and
    // lists the attacker's key and origin. It is discarded and the victim's real profile fetched instead.
    let evil_issuer = "{{BASE2}}/issuer";
    let evil_badge = "{{BASE2}}/badge";
    let mut fake = issuer();
    fake["publicKey"] = json!(EVIL_KEY);
    fake["verification"] = json!({"allowedOrigins": ["{{HOST2}}"]});
    let mut b = badge();
    b["id"] = json!(evil_badge);
    b["issuer"] = json!(evil_issuer);
    let mut a = hosted(EVIL);
    a["badge"] = json!(evil_badge);
    let mut s = signed();
    s["badge"] = json!(evil_badge);
    s["verification"]["creator"] = json!(EVIL_KEY);
    let docs = world(&[
        (EVIL, a),
        (evil_badge, b),
        (evil_issuer, fake),
        (EVIL_KEY, key_doc(EVIL_KEY, ISSUER, &ATTACKER_KEY)),
    ]);
    let r = at_url("ob2_profile_declares_victim_id", EVIL, docs.clone()).await;
    refused(&r, "proof", "allowed origins");
    assert!(
        r.findings
            .iter()
            .any(|f| f.rule == "NODE_ID_MISMATCH" && f.message.contains("/issuer")),
        "{:#?}",
        r.findings
    );
    refused(
        &jws(
            "ob2_profile_declares_victim_id_signed",
            &s,
            &ATTACKER_KEY,
            docs.clone(),
        )
        .await,
        "proof",
        "not the issuer's",
    );
    // Control: the victim's own badge and key.
    verified(
        &jws(
            "ob2_profile_declares_victim_id_control",
            &signed(),
            &ISSUER_KEY,
            docs,
        )
        .await,
    );
    // HOSTED_ID_IN_VERIFICATION_SCOPE: "not hosted in allowed origins {{HOST}}" (the declared id re-fetched);
    // VERIFY_KEY_OWNERSHIP: "signed by a key {{BASE2}}/key other than those authorized by issuer profile".
    validator("ob2_profile_declares_victim_id", false);
    validator("ob2_profile_declares_victim_id_signed", false);
    validator("ob2_profile_declares_victim_id_control", true);
}

#[tokio::test]
async fn a_key_document_declaring_the_issuers_key_id_is_not_the_issuers_key() {
    let mut s = signed();
    s["verification"]["creator"] = json!(EVIL_KEY);
    // Served at the attacker's URL, claiming to be the issuer's listed key.
    let docs = world(&[(EVIL_KEY, key_doc(KEY, ISSUER, &ATTACKER_KEY))]);
    let r = jws(
        "ob2_key_declares_issuers_key_id",
        &s,
        &ATTACKER_KEY,
        docs.clone(),
    )
    .await;
    assert!(!r.verified, "{:#?}", r.checks);
    assert!(
        r.checks
            .iter()
            .any(|c| c.name == "proof" && c.status == CheckStatus::Failed),
        "{:#?}",
        r.checks
    );
    verified(
        &jws(
            "ob2_key_declares_issuers_key_id_control",
            &signed(),
            &ISSUER_KEY,
            docs,
        )
        .await,
    );
    // VERIFY_JWS: "Task could not run due to unmet prerequisites" (the key document is filed under its
    // declared id, so no key is found at the creator URL).
    validator("ob2_key_declares_issuers_key_id", false);
    validator("ob2_key_declares_issuers_key_id_control", true);
}

#[tokio::test]
async fn a_profile_whose_declared_id_serves_yet_another_id_is_never_trusted() {
    // X declares Y; Y declares Z: the refetch happens once, and nothing is trusted.
    let x = "{{BASE}}/profile-x";
    let y = "{{BASE}}/profile-y";
    let mut px = issuer();
    px["id"] = json!(y);
    let mut py = issuer();
    py["id"] = json!("{{BASE}}/profile-z");
    let mut b = badge();
    b["issuer"] = json!(x);
    let docs = world(&[(BADGE, b), (x, px), (y, py), (ASSERTION, hosted(ASSERTION))]);
    refused(
        &at_url("ob2_profile_id_chain", ASSERTION, docs).await,
        "proof",
        "not fetched from its own id",
    );
    verified(
        &at_url(
            "ob2_hosted_control",
            ASSERTION,
            world(&[(ASSERTION, hosted(ASSERTION))]),
        )
        .await,
    );
    // FETCH_HTTP_NODE: it follows the declared id to profile-z, which is not served.
    validator("ob2_profile_id_chain", false);
    validator("ob2_hosted_control", true);
}

#[tokio::test]
async fn revocation_list_entries_compare_as_identifiers() {
    let mut real_issuer = issuer();
    real_issuer["revocationList"] = json!(LIST);
    // Two entries: the validator misses the only entry of a one-entry list (the last case here).
    let list = |entry: &str| {
        json!({"@context": V2, "type": "RevocationList", "id": LIST,
            "revokedAssertions": [{"id": entry, "revocationReason": "withdrawn"}, "urn:uuid:00000000-0000-4000-8000-000000000000"]})
    };
    // Another spelling of the same URL: case of the scheme, an encoded unreserved byte.
    let docs = world(&[
        (ISSUER, real_issuer.clone()),
        (LIST, list("HTTP://{{HOST}}/assertions/%31")),
        (ASSERTION, hosted(ASSERTION)),
    ]);
    refused(
        &at_url("ob2_revoked_url_spelling", ASSERTION, docs).await,
        "status",
        "withdrawn",
    );
    // Fooled: the validator never checks a hosted assertion against the revocation list.
    validator("ob2_revoked_url_spelling", true);
    // A urn:uuid in upper case.
    let docs = world(&[
        (ISSUER, real_issuer.clone()),
        (LIST, list(&SIGNED_ID.to_ascii_uppercase())),
    ]);
    refused(
        &jws("ob2_revoked_urn_upper_case", &signed(), &ISSUER_KEY, docs).await,
        "status",
        "withdrawn",
    );
    // Fooled: the validator compares entry ids byte for byte (a urn:uuid is case-insensitive).
    validator("ob2_revoked_urn_upper_case", true);
    // Controls: another assertion is revoked; the urn as issued.
    let docs = world(&[
        (ISSUER, real_issuer.clone()),
        (LIST, list("{{BASE}}/assertions/2")),
        (ASSERTION, hosted(ASSERTION)),
    ]);
    verified(&at_url("ob2_revoked_other_control", ASSERTION, docs).await);
    validator("ob2_revoked_other_control", true);
    let docs = world(&[(ISSUER, real_issuer.clone()), (LIST, list(SIGNED_ID))]);
    refused(
        &jws("ob2_revoked_urn_control", &signed(), &ISSUER_KEY, docs).await,
        "status",
        "withdrawn",
    );
    // VERIFY_SIGNED_ASSERTION_NOT_REVOKED: "... has been revoked in RevocationList ... with reason: withdrawn".
    validator("ob2_revoked_urn_control", false);
    // The same entry alone in the list.
    let mut one = list(SIGNED_ID);
    one["revokedAssertions"].as_array_mut().unwrap().pop();
    let docs = world(&[(ISSUER, real_issuer), (LIST, one)]);
    refused(
        &jws("ob2_revoked_one_entry", &signed(), &ISSUER_KEY, docs).await,
        "status",
        "withdrawn",
    );
    // Fooled: JSON-LD compaction turns the one-entry array into an object, and the validator then compares
    // the assertion's id with that object's keys.
    validator("ob2_revoked_one_entry", true);
}

// --- redirects: the final URL is where a document came from ---------------------------------------------

/// The issuer's documents with an assertion of its own and an open redirect `{{BASE}}/go/<path>` to the
/// attacker's `{{BASE2}}/<path>`.
fn redirecting(name: &'static str, presented: &str, attacker: &[(&str, Value)]) -> Ob2Case {
    let case = Ob2Case::url(name, presented)
        .serve_all(world(&[(ASSERTION, hosted(ASSERTION))]))
        .serve_all(attacker.iter().map(|(u, d)| ((*u).to_owned(), d.clone())));
    attacker.iter().fold(case, |c, (u, _)| {
        let rest = u.trim_start_matches("{{BASE2}}/");
        c.redirect(&format!("{{{{BASE}}}}/go/{rest}"), u)
    })
}

/// `{{BASE}}/go/forged` redirects to `{{BASE2}}/forged`, the attacker's assertion claiming the redirect URL
/// as its id.
pub(super) fn open_redirect_url() -> Ob2Case {
    let url = "{{BASE}}/go/forged";
    redirecting(
        "ob2_open_redirect_url",
        url,
        &[("{{BASE2}}/forged", hosted(url))],
    )
}

/// The issuer's own signed assertion.
pub(super) fn signed_control() -> Ob2Case {
    Ob2Case::jws("ob2_signed_control", signed(), &ISSUER_KEY).serve_all(world(&[]))
}

#[tokio::test]
async fn an_open_redirect_on_the_issuers_host_does_not_host_the_attackers_assertion() {
    // {{BASE}}/go/forged redirects to {{BASE2}}/forged, which serves an assertion claiming the redirect URL
    // as its id (on the issuer's origin, so the origin check alone would pass).
    let url = "{{BASE}}/go/forged";
    let forged = hosted(url);
    let attacker = [("{{BASE2}}/forged", forged.clone())];
    let r = open_redirect_url().verify().await;
    refused(&r, "proof", "but its id is");
    // Given as JSON, the id is fetched, and the redirect seen.
    let mut case = redirecting("ob2_open_redirect_json", url, &attacker);
    case.presented = super::support::Ob2Input::Json(forged);
    refused(&case.verify().await, "proof", "not hosted at its id");
    // Control: the issuer's own assertion.
    let r = redirecting("ob2_open_redirect_control", ASSERTION, &attacker)
        .verify()
        .await;
    verified(&r);
    // Fooled, both ways: the validator compares the id with the URL it asked for, not the one that answered.
    validator("ob2_open_redirect_url", true);
    validator("ob2_open_redirect_json", true);
    validator("ob2_open_redirect_control", true);
}

#[tokio::test]
async fn a_redirect_to_a_document_claiming_the_victims_profile_id_is_discarded() {
    // The attacker's assertion and badge class; the badge names the issuer's open redirect, which lands on
    // the attacker's profile claiming the issuer's id and allowing the attacker's origin.
    let mut b = badge();
    b["id"] = json!("{{BASE2}}/badge");
    b["issuer"] = json!("{{BASE}}/go/profile");
    let mut profile = issuer();
    profile["verification"] = json!({"allowedOrigins": ["{{HOST2}}"]});
    let mut a = hosted(EVIL);
    a["badge"] = json!("{{BASE2}}/badge");
    let attacker = [
        (EVIL, a),
        ("{{BASE2}}/badge", b),
        ("{{BASE2}}/profile", profile),
    ];
    let r = redirecting("ob2_redirect_to_victim_profile", EVIL, &attacker)
        .verify()
        .await;
    refused(&r, "proof", "allowed origins");
    assert!(
        r.findings
            .iter()
            .any(|f| f.rule == "NODE_ID_MISMATCH" && f.message.contains("served from")),
        "{:#?}",
        r.findings
    );
    let r = redirecting(
        "ob2_redirect_to_victim_profile_control",
        ASSERTION,
        &attacker,
    )
    .verify()
    .await;
    verified(&r);
    // HOSTED_ID_IN_VERIFICATION_SCOPE: "not hosted in allowed origins {{HOST}}": the redirected profile
    // declares the issuer's id, which it then fetches.
    validator("ob2_redirect_to_victim_profile", false);
    validator("ob2_redirect_to_victim_profile_control", true);
}
