//! Class 12: one badge per image. An image that carries two badge payloads that differ is not verified,
//! and the report names each: which one a person is shown depends on the tool (a bakery reads the first
//! `openbadges` chunk, another the `openbadgecredential` one, a third reads past `IDAT`), so a "verified"
//! for one of them says nothing about what the holder displays. Identical copies are one badge.
//!
//! Each attack has its control: the same image with only the payload obi would have picked verifies.

use obi_bake::png::tests_support::{chunk_bytes, tiny_png};
use obi_bake::png::{KEYWORD_OB2, KEYWORD_OB3};
use obi_sign::SecretKey;
use obi_sign::di::{self, ProofOptions, Suite};
use obi_verify::{CheckStatus, Input, OfflineFetch, VerifyOptions, VerifyReport};
use serde_json::{Value, json};

const DIR: &str = env!("CARGO_MANIFEST_DIR");

fn opts() -> VerifyOptions {
    VerifyOptions::at("2026-11-28T00:00:00Z".parse().unwrap())
}

/// The peers' sample credential named `name`, issued and signed by a did:key.
fn credential(name: &str) -> String {
    let key = SecretKey::from_ed25519_seed(&[0x12; 32]);
    let mut c: Value = serde_json::from_str(&obi_testkit::shared_text(
        DIR,
        "peers/ob3-node/testdata/sample-ob3.json",
    ))
    .unwrap();
    c["issuer"]["id"] = json!(key.public().did_key().unwrap());
    c["credentialSubject"]["achievement"]["name"] = json!(name);
    di::sign(
        &c,
        &key,
        &ProofOptions {
            suite: Suite::EddsaRdfc2022,
            verification_method: key.public().did_key_vm().unwrap(),
            created: Some("2026-11-01T00:00:00Z".into()),
        },
    )
    .unwrap()
    .to_string()
}

/// An OB 2.0 assertion (as another tool would show it; obi never gets to verify it here).
const OB2: &str = r#"{"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "https://issuer.example/assertions/1", "badge": "https://issuer.example/badges/other"}"#;

/// An uncompressed iTXt chunk's data.
fn itxt(keyword: &str, text: &str) -> Vec<u8> {
    let mut d = format!("{keyword}\0\0\0\0\0").into_bytes();
    d.extend_from_slice(text.as_bytes());
    d
}

/// `tiny_png()` with `before` inserted after IHDR, `after_idat` after the image data, `after_iend` at the end.
fn png(before: &[Vec<u8>], after_idat: &[Vec<u8>], after_iend: &[Vec<u8>]) -> Vec<u8> {
    let base = tiny_png();
    let ihdr_end = 8 + 12 + 13;
    let iend = base.len() - 12;
    assert_eq!(&base[iend + 4..iend + 8], b"IEND");
    let mut out = base[..ihdr_end].to_vec();
    before.iter().for_each(|c| out.extend(c));
    out.extend_from_slice(&base[ihdr_end..iend]);
    after_idat.iter().for_each(|c| out.extend(c));
    out.extend_from_slice(&base[iend..]);
    after_iend.iter().for_each(|c| out.extend(c));
    out
}

async fn verify(bytes: &[u8]) -> VerifyReport {
    obi_verify::verify(
        Input::Bytes {
            name: "image",
            bytes,
        },
        &opts(),
        &OfflineFetch::new(),
    )
    .await
    .unwrap()
}

fn input(r: &VerifyReport) -> (CheckStatus, String) {
    let c = r.checks.iter().find(|c| c.name == "input").unwrap();
    (c.status, c.detail.clone())
}

/// Not verified; the input check failed naming the two payloads (with every one of `says`); one finding
/// for each, and the two told apart.
fn refused(r: &VerifyReport, says: &[&str]) {
    assert!(!r.verified, "{:#?}", r.checks);
    let (status, detail) = input(r);
    assert_eq!(status, CheckStatus::Failed, "{detail}");
    assert!(detail.contains("2 different badges"), "{detail}");
    for l in says {
        assert!(detail.contains(l), "{detail:?} does not name {l:?}");
    }
    let named: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.rule == "MULTIPLE_BADGES_IN_IMAGE")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(named.len(), 2, "{named:#?}");
    assert_ne!(named[0], named[1]);
    assert!(named.iter().all(|m| m.contains("SHA-256")), "{named:#?}");
    // The report never went on to verify one of them.
    assert!(
        r.checks.iter().all(|c| c.name == "input"),
        "{:#?}",
        r.checks
    );
}

async fn verified(bytes: &[u8]) {
    let r = verify(bytes).await;
    assert!(r.verified, "{:#?}", r.checks);
}

#[tokio::test]
async fn ob2_and_ob3_chunks_in_one_png() {
    let ob3 = credential("Rust");
    let image = png(
        &[
            chunk_bytes(b"iTXt", &itxt(KEYWORD_OB2, OB2)),
            chunk_bytes(b"iTXt", &itxt(KEYWORD_OB3, &ob3)),
        ],
        &[],
        &[],
    );
    // peers: both OB 2.0 bakeries (ob2-bake unbake, ob1-mozilla extract) show the OB 2.0 assertion;
    // ob3-py extract shows the OB 3.0 credential: two tools, two badges.
    refused(
        &verify(&image).await,
        &[
            "Open Badges 3.0 JSON in the PNG iTXt chunk \"openbadgecredential\" at byte",
            "Open Badges 2.0 JSON in the PNG iTXt chunk \"openbadges\" at byte 33 (160 bytes",
            "{\"@context\": \"https://w3id.org/openbadges/v2\"",
        ],
    );
    // Control: the credential alone.
    verified(&png(
        &[chunk_bytes(b"iTXt", &itxt(KEYWORD_OB3, &ob3))],
        &[],
        &[],
    ))
    .await;
}

#[tokio::test]
async fn two_credentials_one_after_idat() {
    let first = credential("Rust");
    let second = credential("Something the holder never earned");
    let image = png(
        &[chunk_bytes(b"iTXt", &itxt(KEYWORD_OB3, &first))],
        &[chunk_bytes(b"iTXt", &itxt(KEYWORD_OB3, &second))],
        &[],
    );
    // peers: ob3-py extract shows the first credential only.
    let r = verify(&image).await;
    refused(&r, &["at byte 33", "openbadgecredential"]);
    assert!(
        r.findings.iter().any(|f| f.message.contains(&second[..40])),
        "the second credential's first characters are quoted"
    );
    // Controls: one credential, and the same credential twice (identical copies are one badge).
    verified(&png(
        &[chunk_bytes(b"iTXt", &itxt(KEYWORD_OB3, &first))],
        &[],
        &[],
    ))
    .await;
    let twice = png(
        &[chunk_bytes(b"iTXt", &itxt(KEYWORD_OB3, &first))],
        &[chunk_bytes(b"iTXt", &itxt(KEYWORD_OB3, &first))],
        &[],
    );
    let r = verify(&twice).await;
    assert!(r.verified, "{:#?}", r.checks);
    assert!(
        input(&r).1.contains("2 identical copies"),
        "{:?}",
        input(&r)
    );
}

#[tokio::test]
async fn itxt_and_text_openbadges_differ() {
    let ob2_url = "https://issuer.example/assertions/other";
    let image = png(
        &[
            chunk_bytes(b"iTXt", &itxt(KEYWORD_OB2, OB2)),
            chunk_bytes(b"tEXt", format!("{KEYWORD_OB2}\0{ob2_url}").as_bytes()),
        ],
        &[],
        &[],
    );
    refused(
        &verify(&image).await,
        &[
            "PNG iTXt chunk \"openbadges\"",
            "Open Badges 2.0 URL in the PNG tEXt chunk \"openbadges\"",
            ob2_url,
        ],
    );
    // An iTXt OB 2.0 assertion and a tEXt URL that is its id are one badge (so the input check passes;
    // this OB 2.0 assertion is not verifiable offline, which is beside the point).
    let same = png(
        &[
            chunk_bytes(b"iTXt", &itxt(KEYWORD_OB2, OB2)),
            chunk_bytes(
                b"tEXt",
                format!("{KEYWORD_OB2}\0https://issuer.example/assertions/1").as_bytes(),
            ),
        ],
        &[],
        &[],
    );
    assert_eq!(input(&verify(&same).await).0, CheckStatus::Passed);
}

#[tokio::test]
async fn own_attack_a_credential_after_iend() {
    // Most PNG readers stop at IEND (peers: ob3-py finds no credential in an image whose only one follows
    // IEND); a naive chunk scanner does not.
    let first = credential("Rust");
    let second = credential("Appended after the end");
    let ztxt = {
        use std::io::Write as _;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(second.as_bytes()).unwrap();
        let mut d = format!("{KEYWORD_OB3}\0\0").into_bytes();
        d.extend(z.finish().unwrap());
        d
    };
    let image = png(
        &[chunk_bytes(b"iTXt", &itxt(KEYWORD_OB3, &first))],
        &[],
        &[chunk_bytes(b"zTXt", &ztxt)],
    );
    refused(&verify(&image).await, &["iTXt", "zTXt"]);
    // Control: trailing bytes that are no chunk do not count.
    let mut junk = png(
        &[chunk_bytes(b"iTXt", &itxt(KEYWORD_OB3, &first))],
        &[],
        &[],
    );
    junk.extend_from_slice(b"\0\0\0\x05tEXtjunk");
    verified(&junk).await;
}

const SVG_OPEN: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob3="https://purl.imsglobal.org/ob/v3p0" xmlns:openbadges="http://openbadges.org" width="1" height="1">"#;

fn cdata(s: &str) -> String {
    format!("<![CDATA[{}]]>", s.replace("]]>", "]]]]><![CDATA[>"))
}

/// An SVG with these elements: `openbadges:credential` in its own namespace declaration, since the root
/// binds `openbadges` to the OB 2.0 namespace.
fn svg(elements: &[String]) -> Vec<u8> {
    format!(
        "{SVG_OPEN}<rect width=\"1\" height=\"1\"/>{}</svg>",
        elements.concat()
    )
    .into_bytes()
}

fn credential_element(c: &str) -> String {
    format!(
        "<openbadges:credential xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\">{}</openbadges:credential>",
        cdata(c)
    )
}

#[tokio::test]
async fn svg_with_both_elements() {
    let ob3 = credential("Rust");
    let image = svg(&[
        format!(
            "<openbadges:assertion>{}</openbadges:assertion>",
            cdata(OB2)
        ),
        credential_element(&ob3),
    ]);
    refused(
        &verify(&image).await,
        &[
            "SVG <openbadges:credential>",
            "SVG <openbadges:assertion> at byte",
        ],
    );
    verified(&svg(&[credential_element(&ob3)])).await;
}

#[tokio::test]
async fn own_attack_two_svg_credentials_one_nested() {
    // Was an error from obi-bake (no report); now a report that names both.
    let ob3 = credential("Rust");
    let other = credential("Nested deeper");
    let image = svg(&[
        credential_element(&ob3),
        format!("<g><g>{}</g></g>", credential_element(&other)),
    ]);
    refused(
        &verify(&image).await,
        &[
            "SVG <openbadges:credential> at byte 177",
            "SVG <openbadges:credential> at byte",
        ],
    );
    // Identical copies are one badge.
    verified(&svg(&[
        credential_element(&ob3),
        format!("<g>{}</g>", credential_element(&ob3)),
    ]))
    .await;
}

#[tokio::test]
async fn own_attack_svg_content_and_verify_disagree() {
    // OB 2.0 readers that follow `verify` fetch another assertion than the JSON obi reads.
    let image = svg(&[format!(
        "<openbadges:assertion verify=\"https://issuer.example/assertions/other\">{}</openbadges:assertion>",
        cdata(OB2)
    )]);
    refused(
        &verify(&image).await,
        &[
            "SVG <openbadges:assertion verify>",
            "https://issuer.example/assertions/other",
        ],
    );
    // obi's own OB 2.0 bake writes verify = the assertion's id: one badge.
    let same = svg(&[format!(
        "<openbadges:assertion verify=\"https://issuer.example/assertions/1\">{}</openbadges:assertion>",
        cdata(OB2)
    )]);
    assert_eq!(input(&verify(&same).await).0, CheckStatus::Passed);
}
