//! Class 2: what obi acts on is what was signed. obi reads a credential's facts from its JSON members and
//! the proof covers its RDF graph; a spelling that keeps the graph but moves a fact away from where a JSON
//! reader looks (a full-IRI member name, a value object, an alias from an inline context, a keyword)
//! would let an expired or revoked credential verify. obi refuses any credential not in compacted form
//! under its contexts (obi_jsonld::to_rdf_compacted_without), as openbadgeslib does ("not in compacted
//! form"), rather than reading it two ways.

use obi_sign::di::{self, ProofOptions, Suite};
use obi_sign::vcjwt::{self, HeaderKey};
use serde_json::{Map, Value, json};

use super::support::{Case, Issuer, assert_peer, assert_refused, assert_verified, check, sample};

const ISSUER: &str = "https://issuer.example/profile";
const VALID_UNTIL: &str = "https://www.w3.org/2018/credentials#validUntil";
const CREDENTIAL_STATUS: &str = "https://www.w3.org/2018/credentials#credentialStatus";

/// The sample, expired on 2026-01-01 (the tests' clock is 2026-11-28).
fn expired() -> Value {
    let mut c = sample(ISSUER);
    c["validUntil"] = json!("2026-01-01T00:00:00Z");
    c
}

/// `c` with member `from` renamed `to`, in place (the proof is left as it is).
fn rename(c: &Value, from: &str, to: &str) -> Value {
    let mut out = Map::new();
    for (k, v) in c.as_object().unwrap() {
        out.insert(if k == from { to.to_owned() } else { k.clone() }, v.clone());
    }
    Value::Object(out)
}

/// The attack is real: both spellings have the same canonical graph (so the same signature).
fn assert_same_graph(a: &Value, b: &Value) {
    let canon = |d: &Value| {
        obi_jsonld::canonicalize(&obi_jsonld::to_rdf_without(d, "proof").unwrap()).unwrap()
    };
    assert_eq!(canon(a), canon(b), "the re-spelling changed the graph");
}

fn served(name: &'static str, issuer: &Issuer, presented: Value) -> Case {
    Case::new(name, presented).serve(ISSUER, issuer.document())
}

#[tokio::test]
async fn control_an_expired_credential_is_refused_for_its_date() {
    let issuer = Issuer::https(ISSUER);
    let r = served("cp_control_expired", &issuer, issuer.sign(&expired()))
        .verify()
        .await;
    assert_refused(&r, "validity", "2026-01-01");
    assert_eq!(check(&r, "proof").status, obi_verify::CheckStatus::Passed);
}

/// `validUntil` as its full IRI: the same graph, so the same signature, but no `validUntil` member.
#[tokio::test]
async fn a_full_iri_member_is_refused() {
    let issuer = Issuer::https(ISSUER);
    let signed = issuer.sign(&expired());
    let mut respelled = rename(&signed, "validUntil", VALID_UNTIL);
    // The context types validUntil as xsd:dateTime; under its full IRI the type is spelled out, which
    // keeps the graph (and the signature).
    respelled[VALID_UNTIL] = json!({"@value": "2026-01-01T00:00:00Z",
                                    "@type": "http://www.w3.org/2001/XMLSchema#dateTime"});
    assert_same_graph(&signed, &respelled);
    let r = served("cp_full_iri_valid_until", &issuer, respelled)
        .verify()
        .await;
    assert_refused(&r, "proof", "not in compacted JSON-LD form");
    assert!(
        r.findings.iter().any(|f| f.rule == "OB3_NOT_COMPACTED"),
        "{:#?}",
        r.findings
    );
    // Fooled: the Digital Bazaar peer checks the graph's signature and looks for validUntil in the
    // JSON, where there is none, so an expired credential verifies.
    assert_peer("cp_full_iri_valid_until", "ob3-verify", Some(true));
}

/// `validUntil` as a typed value object: the same literal in the graph, an object to a JSON reader.
#[tokio::test]
async fn a_value_object_is_refused() {
    let issuer = Issuer::https(ISSUER);
    let signed = issuer.sign(&expired());
    let mut respelled = signed.clone();
    respelled["validUntil"] = json!({"@value": "2026-01-01T00:00:00Z",
                                     "@type": "http://www.w3.org/2001/XMLSchema#dateTime"});
    assert_same_graph(&signed, &respelled);
    let r = served("cp_value_object_valid_until", &issuer, respelled)
        .verify()
        .await;
    assert_refused(&r, "proof", "a value object");
    // The Digital Bazaar peer refuses it for its JSON shape: "validUntil must be a valid date".
    assert_peer("cp_value_object_valid_until", "ob3-verify", Some(false));
}

/// An expired credential whose `validUntil` is renamed through an inline context's alias: the same graph.
pub(super) fn inline_alias() -> Case {
    let issuer = Issuer::https(ISSUER);
    let signed = issuer.sign(&expired());
    let mut respelled = rename(&signed, "validUntil", "goodUntil");
    respelled["@context"]
        .as_array_mut()
        .unwrap()
        .push(json!({"goodUntil": {"@id": VALID_UNTIL, "@type": "http://www.w3.org/2001/XMLSchema#dateTime"}}));
    assert_same_graph(&signed, &respelled);
    served("cp_inline_alias", &issuer, respelled)
}

/// An inline context adds an alias for `validUntil` (adding a term does not redefine a protected one).
#[tokio::test]
async fn an_alias_from_an_inline_context_is_refused() {
    let r = inline_alias().verify().await;
    assert_refused(&r, "proof", "inline context");
    // Fooled: an expired credential verifies in the Digital Bazaar peer.
    assert_peer("cp_inline_alias", "ob3-verify", Some(true));
}

/// A revoked credential hides its `credentialStatus` under the full IRI: the status check never runs.
#[tokio::test]
async fn a_status_under_its_full_iri_is_refused() {
    let issuer = Issuer::https(ISSUER);
    let mut c = sample(ISSUER);
    c["credentialStatus"] = json!({"id": "https://issuer.example/status/1#7", "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation", "statusListIndex": "7",
        "statusListCredential": "https://issuer.example/status/1"});
    let signed = issuer.sign(&c);
    let respelled = rename(&signed, "credentialStatus", CREDENTIAL_STATUS);
    assert_same_graph(&signed, &respelled);
    let r = served("cp_status_full_iri", &issuer, respelled)
        .verify()
        .await;
    assert_refused(&r, "proof", "not a term of the document's contexts");
    // Fooled: the Digital Bazaar peer never sees a status entry, so a revoked badge would verify.
    assert_peer("cp_status_full_iri", "ob3-verify", Some(true));
}

/// `@id` instead of the contexts' alias `id`, on the subject.
#[tokio::test]
async fn a_keyword_instead_of_its_alias_is_refused() {
    let issuer = Issuer::https(ISSUER);
    let signed = issuer.sign(&sample(ISSUER));
    let mut respelled = signed.clone();
    let subject = rename(&signed["credentialSubject"], "id", "@id");
    respelled["credentialSubject"] = subject;
    assert_same_graph(&signed, &respelled);
    let r = served("cp_keyword_id", &issuer, respelled).verify().await;
    assert_refused(&r, "proof", "is a keyword");
    // The Digital Bazaar peer accepts it (harmless here, but a reader of `id` finds no subject).
    assert_peer("cp_keyword_id", "ob3-verify", Some(true));
}

/// A type spelled as the full IRI of a term.
#[tokio::test]
async fn a_type_as_a_full_iri_is_refused() {
    let issuer = Issuer::https(ISSUER);
    let mut c = sample(ISSUER);
    c["credentialSubject"]["type"] =
        json!(["https://purl.imsglobal.org/spec/vc/ob/vocab.html#AchievementSubject"]);
    // Signed that way (a signer that does not compact): refused all the same.
    let r = served("cp_type_full_iri", &issuer, issuer.sign_lenient(&c))
        .verify()
        .await;
    assert!(!r.verified, "{:#?}", r.checks);
    assert!(
        r.findings.iter().any(|f| f.rule == "OB3_NOT_COMPACTED"),
        "{:#?}",
        r.findings
    );
}

/// VC-JWT and JCS proofs secure the JSON bytes, but the credential still means what its JSON-LD says:
/// the same refusal, from the conformance check.
#[tokio::test]
async fn jwt_and_jcs_credentials_must_be_compacted_too() {
    let issuer = Issuer::https(ISSUER);
    let respelled = rename(&expired(), "validUntil", VALID_UNTIL);
    let token = vcjwt::sign(&respelled, &issuer.key, HeaderKey::Kid(issuer.vm.clone())).unwrap();
    let r = served("cp_jwt_full_iri", &issuer, json!(token))
        .verify()
        .await;
    assert_refused(&r, "proof", "not in compacted JSON-LD form");
    // Fooled: an expired VC-JWT (no exp claim; the date is under the full IRI) verifies there.
    assert_peer("cp_jwt_full_iri", "ob3-verify", Some(true));

    let jcs = di::sign(
        &respelled,
        &issuer.key,
        &ProofOptions {
            suite: Suite::EddsaJcs2022,
            verification_method: issuer.vm.clone(),
            created: Some("2026-01-01T00:00:00Z".into()),
        },
    )
    .unwrap();
    let r = served("cp_jcs_full_iri", &issuer, jcs).verify().await;
    assert_refused(&r, "proof", "not in compacted JSON-LD form");

    // Controls: the same credentials in compacted form verify (apart from the date they carry).
    let fresh = sample(ISSUER);
    let token = vcjwt::sign(&fresh, &issuer.key, HeaderKey::Kid(issuer.vm.clone())).unwrap();
    assert_verified(
        &served("cp_jwt_control", &issuer, json!(token))
            .verify()
            .await,
    );
}

impl Issuer {
    /// Signed through the JCS suite, which does not expand the document: how a careless signer could
    /// have produced a non-compacted credential with a valid signature.
    fn sign_lenient(&self, c: &Value) -> Value {
        di::sign(
            c,
            &self.key,
            &ProofOptions {
                suite: Suite::EddsaJcs2022,
                verification_method: self.vm.clone(),
                created: Some("2026-01-01T00:00:00Z".into()),
            },
        )
        .unwrap()
    }
}
