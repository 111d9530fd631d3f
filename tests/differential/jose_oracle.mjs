// The jose side of the differential test (tests/differential/differential.py).
//
// Reads every case from one JSON file (argv[2]) and writes one verdict per
// case to another (argv[3]): {"id": {"accept": bool, "error": "..."}}. One
// node process for the whole run, not one per case.
//
// Options are normalised to oidcat's policy by the driver: the same
// algorithm allow-list, audience, issuer (when pinned), leeway and `now`
// (jose's `currentDate`), `exp` required unless the case relaxes it. Two
// adaptations, both written down in tests/differential/README.md:
// - jose only rejects an `iat` in the future when `maxTokenAge` is set, so
//   the driver asks for an (effectively unbounded) `maxTokenAge` when the
//   claims hold an `iat` member;
// - jose's local key set refuses to choose between several fitting keys
//   (ERR_JWKS_MULTIPLE_MATCHING_KEYS); like oidcat, every fitting key is
//   tried in turn, as jose's documentation shows.
import { readFileSync, writeFileSync } from "node:fs";
import { jwtVerify, createLocalJWKSet, errors } from "jose";

const [, , casesPath, outPath] = process.argv;
if (!casesPath || !outPath) {
  console.error("usage: node jose_oracle.mjs CASES.json OUT.json");
  process.exit(2);
}
const cases = JSON.parse(readFileSync(casesPath, "utf8"));

async function verifyWithSet(token, jwks, options) {
  const set = createLocalJWKSet(jwks);
  try {
    return await jwtVerify(token, set, options);
  } catch (err) {
    if (err?.code !== "ERR_JWKS_MULTIPLE_MATCHING_KEYS") throw err;
    for await (const key of err) {
      try {
        return await jwtVerify(token, key, options);
      } catch (inner) {
        if (inner?.code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED") continue;
        throw inner;
      }
    }
    throw new errors.JWSSignatureVerificationFailed();
  }
}

const results = {};
for (const c of cases) {
  const options = {
    algorithms: c.algs,
    audience: c.audience,
    currentDate: new Date(c.now * 1000),
    clockTolerance: c.leeway,
    requiredClaims: c.require_exp ? ["exp"] : [],
  };
  if (c.issuer !== null) options.issuer = c.issuer;
  if (c.claims_have_iat) options.maxTokenAge = 1e12;
  try {
    if (c.secret_b64 !== null) {
      await jwtVerify(c.token, Buffer.from(c.secret_b64, "base64"), options);
    } else {
      await verifyWithSet(c.token, c.jwks, options);
    }
    results[c.id] = { accept: true, error: null };
  } catch (err) {
    results[c.id] = { accept: false, error: `${err?.code ?? err?.name}: ${err?.message}` };
  }
}
writeFileSync(outPath, JSON.stringify(results));
