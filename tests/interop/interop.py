#!/usr/bin/env python3
"""Interoperability of `oidcat sign` / `oidcat verify` with other libraries.

Both ways, on fresh keys from `oidcat keygen` (and from the other side):
- tokens made by `oidcat sign` verify with PyJWT and with panva's jose, for
  every algorithm each of them knows (jose has no ES256K: WebCrypto lacks
  secp256k1), and the same tokens with one signature character changed are
  refused by both;
- ES512 and ES256K tokens made by PyJWT, and ES512 tokens made by jose,
  verify with `oidcat verify` (exit 0), and tampered exits 1 bad_signature;
- ML-DSA-44/65/87: @noble/post-quantum (an independent FIPS 204
  implementation) verifies signatures made by `oidcat sign`, derives the
  same public key from the JWK's `priv` seed, and signs tokens that `oidcat
  verify --alg ML-DSA-*` accepts.

Usage: interop.py --oidcat PATH [--node node]. Run by scripts/interop.sh,
which installs the pinned PyJWT / jose / @noble/post-quantum first.
Exit 0 when everything agrees, 1 otherwise.
"""

import argparse
import base64
import json
import os
import subprocess
import sys
import tempfile
import time

import jwt
from cryptography.hazmat.primitives.asymmetric import ec

HERE = os.path.dirname(os.path.abspath(__file__))
CLASSIC = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
           "ES256", "ES384", "ES512", "ES256K", "EdDSA", "HS256", "HS384", "HS512"]
NOT_IN_JOSE = {"ES256K"}
ML_DSA = ["ML-DSA-44", "ML-DSA-65", "ML-DSA-87"]
AUD = "interop"


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def tamper(token):
    at = token.rindex(".") + 5
    c = "B" if token[at] == "A" else "A"
    return token[:at] + c + token[at + 1:]


class Run:
    def __init__(self, oidcat, node, tmp):
        self.oidcat, self.node, self.tmp = oidcat, node, tmp
        self.failures, self.passed = [], 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failures.append(what)
            print(f"FAIL {what}")

    def oidcat_run(self, args, stdin=None):
        p = subprocess.run([self.oidcat, "--color", "never", *args], input=stdin,
                           capture_output=True, text=True, timeout=60)
        return p

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def oidcat_verify(self, token, alg, jwks):
        path = self.write("theirs.jwks.json", json.dumps(jwks))
        args = ["-o", "json", "verify", "--jwks-file", path, "--audience", AUD]
        if alg in ML_DSA:
            args += ["--alg", alg]
        p = self.oidcat_run(args, token)
        kind = None
        try:
            kind = (json.loads(p.stdout).get("error") or {}).get("kind")
        except ValueError:
            pass
        return p.returncode, kind


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--oidcat", required=True)
    ap.add_argument("--node", default="node")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        r = Run(a.oidcat, a.node, tmp)
        made = {}  # alg -> (private jwk, public jwks, token)
        for alg in CLASSIC + ML_DSA:
            priv = r.oidcat_run(["keygen", "--alg", alg])
            assert priv.returncode == 0, priv.stderr
            path = r.write(f"{alg}.jwk", priv.stdout)
            jwks = None
            if not alg.startswith("HS"):
                pub = r.oidcat_run(["keygen", "--public", path])
                assert pub.returncode == 0, pub.stderr
                jwks = json.loads(pub.stdout)
            tok = r.oidcat_run(["sign", "--key", path, "--aud", AUD, "--sub", "interop",
                                "--claim", "n=1"])
            assert tok.returncode == 0, tok.stderr
            made[alg] = (json.loads(priv.stdout), jwks, tok.stdout.strip())

        # oidcat -> PyJWT
        for alg in CLASSIC:
            priv, jwks, token = made[alg]
            key = jwt.PyJWK(priv if alg.startswith("HS") else jwks["keys"][0]).key
            for t, want in [(token, True), (tamper(token), False)]:
                try:
                    jwt.decode(t, key, algorithms=[alg], audience=AUD)
                    got, err = True, ""
                except jwt.PyJWTError as e:
                    got, err = False, repr(e)
                r.check(got == want, f"PyJWT on oidcat {alg} token{'' if want else ' (tampered)'}: {err}")

        # the node side: jose both ways, noble for ML-DSA
        req = {"verify": [], "sign_jose": [{"id": "ES512", "alg": "ES512", "claims": {
            "aud": AUD, "sub": "jose", "iat": int(time.time()), "exp": int(time.time()) + 600}}],
               "mldsa_verify": [], "mldsa_from_seed": [], "mldsa_sign": []}
        for alg in CLASSIC:
            if alg in NOT_IN_JOSE:
                continue
            priv, jwks, token = made[alg]
            for suffix, t in [("", token), ("/tampered", tamper(token))]:
                c = {"id": alg + suffix, "alg": alg, "token": t, "audience": AUD}
                if alg.startswith("HS"):
                    c["secret_jwk"] = priv
                else:
                    c["jwks"] = jwks
                req["verify"].append(c)
        for alg in ML_DSA:
            priv, jwks, token = made[alg]
            req["mldsa_verify"].append({"id": alg, "alg": alg, "token": token, "pub": priv["pub"]})
            req["mldsa_verify"].append({"id": alg + "/tampered", "alg": alg,
                                        "token": tamper(token), "pub": priv["pub"]})
            req["mldsa_from_seed"].append({"id": alg, "alg": alg, "seed": priv["priv"], "pub": priv["pub"]})
            req["mldsa_sign"].append({"id": alg, "alg": alg, "seed": b64u(os.urandom(32)), "claims": {
                "aud": AUD, "sub": "noble", "iat": int(time.time()), "exp": int(time.time()) + 600}})
        rq, ans = r.write("request.json", json.dumps(req)), os.path.join(tmp, "answer.json")
        subprocess.run([a.node, os.path.join(HERE, "oracle.mjs"), rq, ans], check=True, timeout=300)
        with open(ans) as f:
            out = json.load(f)
        for c in req["verify"]:
            want = not c["id"].endswith("/tampered")
            v = out["verify"][c["id"]]
            r.check(v["accept"] == want, f"jose on oidcat {c['id']} token: {v.get('error')}")
        for c in req["mldsa_verify"]:
            want = not c["id"].endswith("/tampered")
            r.check(out["mldsa_verify"][c["id"]] == want, f"noble ML-DSA verify of oidcat {c['id']}")
        for c in req["mldsa_from_seed"]:
            r.check(out["mldsa_from_seed"][c["id"]], f"noble derives oidcat's {c['id']} pub from priv")

        # jose / noble / PyJWT -> oidcat
        theirs = []
        j = out["sign_jose"]["ES512"]
        theirs.append(("jose", "ES512", j["token"], j["jwks"]))
        for c in req["mldsa_sign"]:
            s = out["mldsa_sign"][c["id"]]
            jwks = {"keys": [{"kty": "AKP", "alg": c["alg"], "pub": s["pub"], "kid": "noble-1"}]}
            theirs.append(("noble", c["alg"], s["token"], jwks))
        for alg, curve in [("ES512", ec.SECP521R1()), ("ES256K", ec.SECP256K1())]:
            k = ec.generate_private_key(curve)
            now = int(time.time())
            token = jwt.encode({"aud": AUD, "sub": "pyjwt", "iat": now, "exp": now + 600}, k,
                               algorithm=alg, headers={"kid": "py-1"})
            pub = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(k.public_key()))
            pub.update({"kid": "py-1", "alg": alg, "use": "sig"})
            theirs.append(("PyJWT", alg, token, {"keys": [pub]}))
        for who, alg, token, jwks in theirs:
            code, kind = r.oidcat_verify(token, alg, jwks)
            r.check(code == 0, f"oidcat verify of a {who} {alg} token: exit {code} {kind}")
            code, kind = r.oidcat_verify(tamper(token), alg, jwks)
            r.check((code, kind) == (1, "bad_signature"),
                    f"oidcat verify of a tampered {who} {alg} token: exit {code} {kind}")

        n_py = 2 * len(CLASSIC)
        n_jose = len(req["verify"])
        print(f"interop: oidcat -> PyJWT {n_py} checks ({len(CLASSIC)} algorithms, valid + tampered); "
              f"oidcat -> jose {n_jose} checks ({n_jose // 2} algorithms; no ES256K in jose); "
              f"oidcat -> @noble/post-quantum {len(req['mldsa_verify']) + len(req['mldsa_from_seed'])} "
              f"ML-DSA checks; {len(theirs)} foreign tokens -> oidcat verify (valid + tampered): "
              + ", ".join(f"{w} {al}" for w, al, _, _ in theirs))
        print(f"interop: {r.passed} passed, {len(r.failures)} failed")
        return 1 if r.failures else 0


if __name__ == "__main__":
    sys.exit(main())
