// Sign a credential with eddsa-jcs-2022 using the ob3-node peer's modules: `canonicalize` (RFC 8785, the
// JCS reference implementation on npm) and @digitalbazaar/ed25519-multikey. The peer has no such
// cryptosuite, so its steps are spelled out: SHA-256 of the JCS proof configuration (with the document's
// @context) and of the JCS document, concatenated, Ed25519-signed, base58btc.
// Usage: node eddsa-jcs-2022-sign.mjs CREDENTIAL.json  (run with node_modules resolvable)
import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import canonicalize from 'canonicalize';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {encode as b58} from 'base58-universal';

const [file] = process.argv.slice(2);
const credential = JSON.parse(readFileSync(file, 'utf8'));
const key = await Ed25519Multikey.generate();
const did = `did:key:${key.publicKeyMultibase}`;
credential.issuer = typeof credential.issuer === 'object' ? {...credential.issuer, id: did} : did;
const proof = {
  type: 'DataIntegrityProof',
  cryptosuite: 'eddsa-jcs-2022',
  created: '2026-11-28T10:00:00Z',
  verificationMethod: `${did}#${key.publicKeyMultibase}`,
  proofPurpose: 'assertionMethod',
};
const sha = s => createHash('sha256').update(s).digest();
const data = Buffer.concat([
  sha(canonicalize({...proof, '@context': credential['@context']})),
  sha(canonicalize(credential)),
]);
const sig = await key.signer().sign({data});
proof.proofValue = 'z' + b58(sig);
process.stdout.write(JSON.stringify({...credential, proof}));
