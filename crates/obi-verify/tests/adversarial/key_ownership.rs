//! Class 1: key ownership comes from the issuer, never from the key's own document. A verification
//! method speaks for a credential's issuer only when the issuer's own controller document — fetched from
//! the issuer's id and declaring that id — lists it under `assertionMethod`.
//!
//! Before this, a document fetched from the attacker's host was believed about who controls its keys
//! (`"controller": <victim>`), and was even filed under whatever `id` it declared.

use obi_sign::vcjwt::{self, HeaderKey};
use obi_sign::{KeyType, SecretKey};
use serde_json::json;

use super::support::{
    Case, Issuer, assert_peer, assert_refused, assert_verified, controller_document, sample,
    sign_with,
};

const VICTIM: &str = "https://victim.example/issuer";
const ATTACKER_DOC: &str = "https://attacker.example/keys";
const ATTACKER_VM: &str = "https://attacker.example/keys#1";

fn attacker_key() -> SecretKey {
    SecretKey::generate(KeyType::Ed25519).unwrap()
}

#[tokio::test]
async fn control_the_issuers_own_key_verifies() {
    let victim = Issuer::https(VICTIM);
    let case =
        Case::new("ko_control", victim.sign(&sample(VICTIM))).serve(VICTIM, victim.document());
    assert_verified(&case.verify().await);
    assert_peer("ko_control", "ob3-verify", Some(true));
}

/// The attacker signs with its own key and publishes a document saying the victim controls it.
pub(super) fn vm_claims_victim_controller() -> Case {
    let victim = Issuer::https(VICTIM);
    let key = attacker_key();
    let forged = sign_with(&sample(VICTIM), &key, ATTACKER_VM);
    Case::new("ko_vm_claims_victim_controller", forged)
        .serve(VICTIM, victim.document())
        .serve(
            ATTACKER_DOC,
            controller_document(ATTACKER_DOC, &[(ATTACKER_VM, &key)], VICTIM),
        )
}

/// The attacker's own document says its key is controlled by the victim. Believed before.
#[tokio::test]
async fn a_methods_own_document_naming_the_issuer_as_controller_proves_nothing() {
    let case = vm_claims_victim_controller();
    assert_refused(
        &case.verify().await,
        "proof",
        "is not listed under assertionMethod in the issuer's own document",
    );
    // Digital Bazaar: "not authorized by controller for proof purpose assertionMethod".
    assert_peer("ko_vm_claims_victim_controller", "ob3-verify", Some(false));
}

/// A document fetched from the attacker's URL that declares the victim's id was filed under that id.
#[tokio::test]
async fn a_document_stands_only_for_the_url_it_came_from() {
    let key = attacker_key();
    let forged = sign_with(&sample(VICTIM), &key, ATTACKER_VM);
    // The victim's own document is not to be had (offline, or its host down): only the attacker's is.
    let case = Case::new("ko_doc_declares_victim_id", forged).serve(
        ATTACKER_DOC,
        controller_document(VICTIM, &[(ATTACKER_VM, &key)], VICTIM),
    );
    assert_refused(&case.verify().await, "proof", "own controller document");
    assert_peer("ko_doc_declares_victim_id", "ob3-verify", Some(false));
}

/// The issuer's URL serves a document that says it is someone else.
#[tokio::test]
async fn the_issuers_document_must_carry_the_issuers_id() {
    let victim = Issuer::https(VICTIM);
    let mut doc = victim.document();
    doc["id"] = json!("https://victim.example/someone-else");
    let case = Case::new("ko_issuer_doc_other_id", victim.sign(&sample(VICTIM))).serve(VICTIM, doc);
    assert_refused(
        &case.verify().await,
        "proof",
        "says it is https://victim.example/someone-else",
    );
}

#[tokio::test]
async fn a_did_key_issuer_signs_only_with_its_own_key() {
    let victim = Issuer::did_key();
    let attacker = Issuer::did_key();
    let forged = attacker.sign(&sample(&victim.id));
    let case = Case::new("ko_did_key_other_key", forged);
    assert_refused(&case.verify().await, "proof", "signs only with its own key");
    for peer in ["ob3-verify", "ob3-py", "dcc-verify"] {
        assert_peer("ko_did_key_other_key", peer, Some(false));
    }
    let control = Case::new("ko_did_key_control", victim.sign(&sample(&victim.id)));
    assert_verified(&control.verify().await);
}

/// An https issuer signing with a did:key: counts only when the issuer's document lists that did:key.
#[tokio::test]
async fn a_did_key_counts_for_an_https_issuer_only_when_the_issuer_lists_it() {
    let victim = Issuer::https(VICTIM);
    let signer = Issuer::did_key();
    let credential = signer.sign(&sample(VICTIM));
    let unlisted =
        Case::new("ko_unlisted_did_key", credential.clone()).serve(VICTIM, victim.document());
    assert_refused(
        &unlisted.verify().await,
        "proof",
        "is not listed under assertionMethod",
    );
    // openbadgeslib, given the did:key's key, accepts it: it checks the signature, not who the issuer is.
    assert_peer("ko_unlisted_did_key", "ob3-verify", Some(false));

    let mut doc = victim.document();
    doc["assertionMethod"]
        .as_array_mut()
        .unwrap()
        .push(json!(signer.vm));
    let listed = Case::new("ko_listed_did_key", credential).serve(VICTIM, doc);
    assert_verified(&listed.verify().await);
    // Stricter than the peers on purpose? No: the issuer's own document vouches for the did:key, which
    // is what the rule asks. The Digital Bazaar peer insists that the method's controller (the did:key
    // itself) be the issuer, so it refuses; DCC and openbadgeslib cannot take an https issuer's document.
    assert_peer("ko_listed_did_key", "ob3-verify", Some(false));
}

/// The issuer's document embeds the method but names another controller for it: inconsistent, refused.
#[tokio::test]
async fn an_embedded_method_with_another_controller_is_refused() {
    let victim = Issuer::https(VICTIM);
    let doc = controller_document(
        VICTIM,
        &[(&victim.vm, &victim.key)],
        "https://attacker.example/",
    );
    let case =
        Case::new("ko_embedded_other_controller", victim.sign(&sample(VICTIM))).serve(VICTIM, doc);
    assert_refused(
        &case.verify().await,
        "proof",
        "with controller https://attacker.example/",
    );
}

/// The issuer lists a method by reference; its key comes from the document at the method's own id, and
/// only when that document is the one published there.
#[tokio::test]
async fn a_method_listed_by_reference_comes_from_its_own_document() {
    const KEYS: &str = "https://keys.victim.example/k";
    const VM: &str = "https://keys.victim.example/k#1";
    let key = attacker_key();
    let mut doc = controller_document(VICTIM, &[], VICTIM);
    doc["assertionMethod"] = json!([VM]);
    let credential = sign_with(&sample(VICTIM), &key, VM);
    let good = Case::new("ko_listed_by_reference", credential.clone())
        .serve(VICTIM, doc.clone())
        .serve(KEYS, controller_document(KEYS, &[(VM, &key)], VICTIM));
    assert_verified(&good.verify().await);
    let moved = Case::new("ko_reference_doc_other_id", credential)
        .serve(VICTIM, doc)
        .serve(
            KEYS,
            controller_document("https://elsewhere.example/k", &[(VM, &key)], VICTIM),
        );
    assert_refused(
        &moved.verify().await,
        "proof",
        "says it is https://elsewhere.example/k",
    );
    // The Digital Bazaar peer takes a document for the URL it was given as, whatever id it declares.
    assert_peer("ko_reference_doc_other_id", "ob3-verify", Some(true));
}

/// did:web: the attacker's DID document claims to be the victim's DID.
#[tokio::test]
async fn a_did_web_document_stands_only_for_its_own_did() {
    const VICTIM_DID: &str = "did:web:victim.example";
    const ATTACKER_DID_DOC: &str = "https://attacker.example/.well-known/did.json";
    let victim_key = attacker_key();
    let key = attacker_key();
    let vm = "did:web:attacker.example#key-1";
    let forged = sign_with(&sample(VICTIM_DID), &key, vm);
    let case = Case::new("ko_did_web_claims_victim", forged)
        .serve(
            "https://victim.example/.well-known/did.json",
            controller_document(
                VICTIM_DID,
                &[("did:web:victim.example#key-1", &victim_key)],
                VICTIM_DID,
            ),
        )
        .serve(
            ATTACKER_DID_DOC,
            controller_document(VICTIM_DID, &[(vm, &key)], VICTIM_DID),
        );
    assert_refused(
        &case.verify().await,
        "proof",
        "is not listed under assertionMethod",
    );
}

/// VC-JWT: a kid naming the attacker's method, whose document names the victim as controller.
#[tokio::test]
async fn a_vc_jwt_kid_counts_only_when_the_issuer_lists_it() {
    let victim = Issuer::https(VICTIM);
    let key = attacker_key();
    let token = vcjwt::sign(&sample(VICTIM), &key, HeaderKey::Kid(ATTACKER_VM.into())).unwrap();
    let case = Case::new("ko_jwt_kid_attacker_vm", json!(token))
        .serve(VICTIM, victim.document())
        .serve(
            ATTACKER_DOC,
            controller_document(ATTACKER_DOC, &[(ATTACKER_VM, &key)], VICTIM),
        );
    assert_refused(&case.verify().await, "proof", "among the keys");
    // Fooled: the Digital Bazaar peer's VC-JWT path believes the attacker's document about its
    // controller (its Data Integrity path does not; see the case above).
    assert_peer("ko_jwt_kid_attacker_vm", "ob3-verify", Some(true));

    let good = vcjwt::sign(
        &sample(VICTIM),
        &victim.key,
        HeaderKey::Kid(victim.vm.clone()),
    )
    .unwrap();
    let control = Case::new("ko_jwt_control", json!(good)).serve(VICTIM, victim.document());
    assert_verified(&control.verify().await);
}

/// VC-JWT: the issuer's URL serves a controller document for another id that lists the signing key.
#[tokio::test]
async fn a_vc_jwt_key_from_a_document_for_another_id_does_not_count() {
    let key = attacker_key();
    let vm = "https://victim.example/other#1";
    let token = vcjwt::sign(&sample(VICTIM), &key, HeaderKey::Kid(vm.into())).unwrap();
    let case = Case::new("ko_jwt_issuer_doc_other_id", json!(token)).serve(
        VICTIM,
        controller_document("https://victim.example/other", &[(vm, &key)], VICTIM),
    );
    assert_refused(
        &case.verify().await,
        "proof",
        "says it is https://victim.example/other",
    );
}

/// VC-JWT published keys obey the same rule as a Data Integrity method (one function decides both): the
/// issuer's document embedding the key with another controller does not make it the issuer's.
#[tokio::test]
async fn a_vc_jwt_key_embedded_with_another_controller_does_not_count() {
    let victim = Issuer::https(VICTIM);
    let doc = controller_document(
        VICTIM,
        &[(&victim.vm, &victim.key)],
        "https://attacker.example/",
    );
    let token = vcjwt::sign(&sample(VICTIM), &victim.key, HeaderKey::Jwk).unwrap();
    let fetch = obi_verify::OfflineFetch::new().with(VICTIM, doc.to_string().into_bytes());
    let r = obi_verify::verify(
        obi_verify::Input::Bytes {
            name: "t",
            bytes: token.as_bytes(),
        },
        &super::support::opts(),
        &fetch,
    )
    .await
    .unwrap();
    assert_refused(&r, "proof", "with controller https://attacker.example/");
    // Control: the same document with the issuer as controller publishes the key.
    let fetch =
        obi_verify::OfflineFetch::new().with(VICTIM, victim.document().to_string().into_bytes());
    let r = obi_verify::verify(
        obi_verify::Input::Bytes {
            name: "t",
            bytes: token.as_bytes(),
        },
        &super::support::opts(),
        &fetch,
    )
    .await
    .unwrap();
    assert_verified(&r);
}
