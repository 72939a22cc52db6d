//! The adversarial suite: one module per class of forgery that "verified must mean verified" closes.
//! Each case is an attack that once made (or could make) obi say `verified`; each asserts it no longer
//! does, and says what the peers answer where they have an opinion.

mod attack_probe; // an adversarial review's probes, kept as regression tests
mod compacted; // 2. what obi acts on is what was signed
mod did_web; // 11. did:web parsed strictly
mod endorsements; // 8. endorsements are about this badge
mod expiry; // 6. every expiry honoured
mod fan_out; // 7. bounded outgoing requests
mod identifiers; // 10. identifiers compared as their schemes say
mod key_ownership; // 1. key ownership comes from the issuer
mod mutation; // the mutation harness: mutants verify only as what was signed
mod ob2_origin; // 5. OB 2.0 trusts a node only as fetched from its own id
mod one_badge; // 12. one badge per image
mod one_or_many; // 4. one value or an array, read one way
mod one_or_many_ob3; // 4. the same, for OB 3.0
mod peers_live; // the stored peer answers, asked again
mod refresh; // 3. a refresh never rescues
mod status_lists; // 9. status lists read as the spec reads them
mod support;
