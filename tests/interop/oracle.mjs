// The node side of tests/interop/interop.py: one process, one JSON request
// file in (argv[2]), one JSON answer file out (argv[3]).
//
// Request: {"verify": [{id, alg, token, jwks | secret_jwk, audience}],
//           "sign_jose": [{id, alg, claims}],
//           "mldsa_verify": [{id, alg, token, pub}],
//           "mldsa_from_seed": [{id, alg, seed, pub}],
//           "mldsa_sign": [{id, alg, claims, seed}]}
// Answer: {"verify": {id: {accept, error}}, "sign_jose": {id: {token, jwks}},
//          "mldsa_verify": {id: bool}, "mldsa_from_seed": {id: bool},
//          "mldsa_sign": {id: {token, pub}}}
//
// jose verifies and signs JWS; ML-DSA is checked with @noble/post-quantum
// (FIPS 204, pure JavaScript): jose's ML-DSA needs WebCrypto ML-DSA, which
// Node.js has only from 24.7, and this must run on Node 20.
import { readFileSync, writeFileSync } from "node:fs";
import {
  jwtVerify, createLocalJWKSet, importJWK, generateKeyPair, exportJWK, SignJWT,
} from "jose";
import { ml_dsa44, ml_dsa65, ml_dsa87 } from "@noble/post-quantum/ml-dsa.js";

const [, , reqPath, outPath] = process.argv;
if (!reqPath || !outPath) {
  console.error("usage: node oracle.mjs REQUEST.json ANSWER.json");
  process.exit(2);
}
const req = JSON.parse(readFileSync(reqPath, "utf8"));
const out = { verify: {}, sign_jose: {}, mldsa_verify: {}, mldsa_from_seed: {}, mldsa_sign: {} };

const b64u = (s) => Buffer.from(s, "base64url");
const enc = (b) => Buffer.from(b).toString("base64url");
const mldsa = { "ML-DSA-44": ml_dsa44, "ML-DSA-65": ml_dsa65, "ML-DSA-87": ml_dsa87 };

for (const c of req.verify ?? []) {
  try {
    const key = c.secret_jwk ? await importJWK(c.secret_jwk, c.alg) : createLocalJWKSet(c.jwks);
    await jwtVerify(c.token, key, { algorithms: [c.alg], audience: c.audience });
    out.verify[c.id] = { accept: true };
  } catch (e) {
    out.verify[c.id] = { accept: false, error: e?.code ?? String(e) };
  }
}

for (const c of req.sign_jose ?? []) {
  const { publicKey, privateKey } = await generateKeyPair(c.alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: "jose-1", alg: c.alg, use: "sig" };
  const token = await new SignJWT(c.claims)
    .setProtectedHeader({ alg: c.alg, kid: "jose-1", typ: "JWT" })
    .sign(privateKey);
  out.sign_jose[c.id] = { token, jwks: { keys: [jwk] } };
}

// Is the signature of a compact JWS valid for `pub` (empty context, as JOSE)?
for (const c of req.mldsa_verify ?? []) {
  const [h, p, s] = c.token.split(".");
  out.mldsa_verify[c.id] = mldsa[c.alg].verify(b64u(s), Buffer.from(`${h}.${p}`), b64u(c.pub));
}

// Does the JWK's `priv` (the FIPS 204 seed) derive its `pub`?
for (const c of req.mldsa_from_seed ?? []) {
  const keys = mldsa[c.alg].keygen(b64u(c.seed));
  out.mldsa_from_seed[c.id] = enc(keys.publicKey) === c.pub;
}

for (const c of req.mldsa_sign ?? []) {
  const keys = mldsa[c.alg].keygen(b64u(c.seed));
  const input = `${enc(JSON.stringify({ alg: c.alg, kid: "noble-1", typ: "JWT" }))}.${enc(JSON.stringify(c.claims))}`;
  const sig = mldsa[c.alg].sign(Buffer.from(input), keys.secretKey);
  out.mldsa_sign[c.id] = { token: `${input}.${enc(sig)}`, pub: enc(keys.publicKey) };
}

writeFileSync(outPath, JSON.stringify(out));
