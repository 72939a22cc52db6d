// Sign a credential with ecdsa-rdfc-2019 (P-256) using the Digital Bazaar building blocks of the ob3-node
// peer: jsonld.js + rdf-canonize for RDFC-1.0, @digitalbazaar/ecdsa-multikey for the key and signature.
// The peer ships no ecdsa-rdfc-2019 cryptosuite, so the suite's few steps (hash the canonical proof
// configuration and document with SHA-256, concatenate, ECDSA-sign, base58btc) are spelled out here.
// Usage: node ecdsa-rdfc-2019-sign.mjs HARNESS_DIR CREDENTIAL.json  (run with node_modules resolvable)
import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {pathToFileURL} from 'node:url';
import jsonld from 'jsonld';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import {encode as b58} from 'base58-universal';

const [harness, file] = process.argv.slice(2);
const {documentLoader} = await import(pathToFileURL(`${harness}/lib/loader.mjs`));
const credential = JSON.parse(readFileSync(file, 'utf8'));
const key = await EcdsaMultikey.generate({curve: 'P-256'});
const did = `did:key:${key.publicKeyMultibase}`;
credential.issuer = typeof credential.issuer === 'object' ? {...credential.issuer, id: did} : did;
const proof = {
  type: 'DataIntegrityProof',
  cryptosuite: 'ecdsa-rdfc-2019',
  created: '2026-11-28T10:00:00Z',
  verificationMethod: `${did}#${key.publicKeyMultibase}`,
  proofPurpose: 'assertionMethod',
};
const canon = doc => jsonld.canonize(doc, {algorithm: 'RDFC-1.0', format: 'application/n-quads', documentLoader, safe: true});
const sha = s => createHash('sha256').update(s).digest();
const data = Buffer.concat([
  sha(await canon({'@context': credential['@context'], ...proof})),
  sha(await canon(credential)),
]);
const signer = key.signer();
const sig = await signer.sign({data});
proof.proofValue = 'z' + b58(sig);
process.stdout.write(JSON.stringify({...credential, proof}));
