#!/usr/bin/env python3
"""Differential test: oidcat's `verify` against panva's jose and PyJWT.

Generates tokens and key sets (every algorithm oidcat verifies, valid ones
and mutations of headers, payloads, signatures, key members and time
boundaries), runs each case through the `oidcat verify` binary, through
PyJWT in this process and through jose in one node process, with the same
policy (algorithm allow-list, audience, issuer when pinned, leeway, `now`,
`exp` required or not), and compares the accept/reject verdicts.

Every disagreement must be explained by an entry of allowlist.json, which
names the mutation class, the oracle, oidcat's verdict, which side is right
and why (an RFC section or a documented decision in docs/differences.md).
A disagreement the list does not explain fails the run; so does an entry
that says oidcat accepts what the oracle rightly rejects, an entry that no
case matched (stale), and any oidcat run that crashes, times out or leaves
its exit codes.

Usage (scripts/differential.sh installs the oracles and calls this):
    python3 tests/differential/differential.py --oidcat target/debug/oidcat \
        [--cases N] [--seed S] [--jobs J] [--verbose]

The case set is a function of the seed: classes are visited in turn and
every class is drawn at least once whenever --cases is at least the number
of classes. Key material is derived from the seed too (EC, Ed25519, HMAC),
except RSA keys, which are generated fresh (no verdict depends on them).
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import datetime
import hashlib
import hmac
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

import jwt  # PyJWT
import jwt.api_jwt
from jwt import PyJWK

HERE = Path(__file__).resolve().parent

AUD = "https://api.example.com"
ISS = "https://issuer.example.com"
GOOGLE = "https://accounts.google.com"
# A fixed instant (2026-05-28), not the wall clock: the verdicts must not move.
BASE_NOW = 1_780_000_000

HASHES = {"256": hashes.SHA256, "384": hashes.SHA384, "512": hashes.SHA512}
# ES512, ES256K and the ML-DSA algorithms are not compared (yet): the build
# this test was written against does not verify P-521 keys.
EC_ALGS = {"ES256": ("P-256", ec.SECP256R1, 32), "ES384": ("P-384", ec.SECP384R1, 48)}
RSA_ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]
HS_ALGS = ["HS256", "HS384", "HS512"]
ASYM_ALGS = RSA_ALGS + list(EC_ALGS) + ["EdDSA"]
ALL_ALGS = ASYM_ALGS + HS_ALGS
# oidcat's default allow-list; some cases use it instead of the one algorithm.
DEFAULT_ALLOW = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"]


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def compact_json(value) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def int_bytes(n: int, length: int | None = None) -> bytes:
    if length is None:
        length = max(1, (n.bit_length() + 7) // 8)
    return n.to_bytes(length, "big")


class Keys:
    """Key material for one run, drawn from the seeded generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.rsa = [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(2)]
        self.rsa_weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
        self.ec = {alg: [self._ec(curve) for _ in range(2)] for alg, (_, curve, _) in EC_ALGS.items()}
        self.ed = [ed25519.Ed25519PrivateKey.from_private_bytes(rng.randbytes(32)) for _ in range(2)]
        self.secret = {alg: rng.randbytes(int(alg[2:]) // 8 + rng.randrange(0, 16)) for alg in HS_ALGS}
        # A P-256 key whose x coordinate starts with a zero octet (one key in
        # 256): the JWK of a generator that drops it has a 31-byte x.
        self.ec_leading_zero = self._ec_with_leading_zero()

    def _ec(self, curve):
        order = {ec.SECP256R1: 2**256, ec.SECP384R1: 2**384}[curve]
        return ec.derive_private_key(self.rng.randrange(1, order // 2), curve())

    def _ec_with_leading_zero(self):
        for _ in range(20000):
            key = self._ec(ec.SECP256R1)
            if key.public_key().public_numbers().x < 2**248:
                return key
        raise RuntimeError("no P-256 key with a leading zero octet in x")

    def for_alg(self, alg: str, index: int = 0):
        if alg in RSA_ALGS:
            return self.rsa[index]
        if alg in EC_ALGS:
            return self.ec[alg][index]
        if alg == "EdDSA":
            return self.ed[index]
        return self.secret[alg]


def sign(alg: str, key, message: bytes) -> bytes:
    if alg in HS_ALGS:
        return hmac.new(key, message, getattr(hashlib, "sha" + alg[2:])).digest()
    if alg == "EdDSA":
        return key.sign(message)
    digest = HASHES[alg[2:]]()
    if alg.startswith("RS"):
        return key.sign(message, padding.PKCS1v15(), digest)
    if alg.startswith("PS"):
        return key.sign(message, padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size), digest)
    size = EC_ALGS[alg][2]
    r, s = decode_dss_signature(key.sign(message, ec.ECDSA(digest)))
    return int_bytes(r, size) + int_bytes(s, size)


def public_jwk(alg: str, key, kid: str | None, rng: random.Random, with_alg: bool | None = None) -> dict:
    if alg in RSA_ALGS:
        nums = key.public_key().public_numbers()
        jwk = {"kty": "RSA", "n": b64u(int_bytes(nums.n)), "e": b64u(int_bytes(nums.e))}
    elif alg in EC_ALGS:
        crv, _, size = EC_ALGS[alg]
        nums = key.public_key().public_numbers()
        jwk = {"kty": "EC", "crv": crv, "x": b64u(int_bytes(nums.x, size)), "y": b64u(int_bytes(nums.y, size))}
    else:
        raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64u(raw)}
    if kid is not None:
        jwk["kid"] = kid
    if with_alg is None:
        with_alg = rng.random() < 0.5
    if with_alg:
        jwk["alg"] = alg
    if rng.random() < 0.5:
        jwk["use"] = "sig"
    return jwk


# ---------------------------------------------------------------------------
# Cases


class Gen:
    """Builds the cases of one run."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.keys = Keys(self.rng)
        self.count = 0

    def claims(self, now: int) -> dict:
        rng = self.rng
        claims = {
            "iss": ISS,
            "sub": f"user-{rng.randrange(10**6)}",
            "aud": AUD if rng.random() < 0.6 else ["https://other.example.com", AUD],
            "iat": now - rng.randrange(0, 300),
            "exp": now + rng.randrange(120, 3600),
        }
        if rng.random() < 0.5:
            claims["nbf"] = claims["iat"]
        if rng.random() < 0.5:
            claims["jti"] = f"{rng.getrandbits(64):016x}"
        return claims

    def case(self, cls: str, alg: str, *, claims=None, header=None, header_raw=None, payload_raw=None,
             sig=None, sig_transform=None, token=None, key_index=0, jwks=None, jwks_keys_extra=(),
             jwk_transform=None, secret=None, verify_secret=None, algs=None, issuer="random",
             leeway=None, require_exp=True, now=None, token_bom=False, jwks_bom=False, kid="default"):
        rng = self.rng
        self.count += 1
        now = BASE_NOW + rng.randrange(0, 10**6) if now is None else now
        leeway = rng.choice([0, 0, 30, 60]) if leeway is None else leeway
        if claims is None:
            claims = self.claims(now)
        elif callable(claims):
            claims = claims(self.claims(now), now, leeway)
        signing_key = self.keys.for_alg(alg, key_index) if secret is None else secret
        kid_value = f"k{key_index}-{alg.lower()}" if kid == "default" else kid
        if header is None:
            header = {"alg": alg, "typ": "JWT"}
            if kid_value is not None:
                header["kid"] = kid_value
        elif callable(header):
            base = {"alg": alg, "typ": "JWT"}
            if kid_value is not None:
                base["kid"] = kid_value
            header = header(base)
        if token is None:
            h = header_raw if header_raw is not None else compact_json(header)
            p = payload_raw if payload_raw is not None else compact_json(claims)
            signing_input = f"{b64u(h)}.{b64u(p)}"
            signature = sig if sig is not None else sign(alg, signing_key, signing_input.encode())
            sig_text = b64u(signature)
            if sig_transform is not None:
                sig_text = sig_transform(sig_text, signature)
            token = f"{signing_input}.{sig_text}"
        elif callable(token):
            token = token(header, claims, signing_key)

        secret_b64 = None
        jwks_text = None
        if alg in HS_ALGS:
            key_bytes = verify_secret if verify_secret is not None else self.keys.secret[alg]
            secret_b64 = base64.b64encode(key_bytes).decode()
        else:
            if jwks is None:
                keys = []
                # A decoy of another type first, then the signing key.
                other = rng.choice([a for a in ASYM_ALGS if a != alg])
                keys.append(public_jwk(other, self.keys.for_alg(other, 1), f"k1-{other.lower()}", rng))
                jwk_kid = kid_value if isinstance(kid_value, str) else f"k{key_index}-{alg.lower()}"
                jwk = public_jwk(alg, self.keys.for_alg(alg, key_index), jwk_kid, rng)
                if jwk_transform is not None:
                    jwk = jwk_transform(jwk)
                keys.append(jwk)
                keys.extend(jwks_keys_extra)
                jwks = {"keys": keys}
            elif callable(jwks):
                jwks = jwks(self)
            jwks_text = json.dumps(jwks)
            if isinstance(jwks, tuple):  # (object for the oracles, text for oidcat)
                jwks, jwks_text = jwks
        if algs is None:
            if alg in HS_ALGS:
                algs = [alg]
            else:
                algs = [alg] if rng.random() < 0.5 else list(DEFAULT_ALLOW) + ([alg] if alg not in DEFAULT_ALLOW else [])
        if issuer == "random":
            issuer = ISS if rng.random() < 0.4 else None
        payload = None
        try:
            payload = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
        except Exception:
            pass
        return {
            "id": f"{cls}/{alg}/{self.count}",
            "class": cls,
            "alg": alg,
            "token": token,
            "token_bom": token_bom,
            "jwks": jwks,
            "jwks_text": jwks_text,
            "jwks_bom": jwks_bom,
            "secret_b64": secret_b64,
            "algs": algs,
            "audience": AUD,
            "issuer": issuer,
            "now": now,
            "leeway": leeway,
            "require_exp": require_exp,
            "claims_have_iat": isinstance(payload, dict) and "iat" in payload,
        }


def set_claim(name, value):
    def f(claims, now, leeway):
        claims[name] = value(now, leeway) if callable(value) else value
        return claims
    return f


def drop_claim(name):
    def f(claims, now, leeway):
        claims.pop(name, None)
        return claims
    return f


def raw_claims_with(extra_json: str):
    """Claims as raw JSON text with `extra_json` spliced in as the last member."""
    def payload(g: Gen, now):
        claims = g.claims(now)
        text = compact_json(claims).decode()
        return (text[:-1] + "," + extra_json.replace("NOW", str(now)) + "}").encode()
    return payload


def flip_bit(sig_text, sig):
    b = bytearray(sig)
    b[len(b) // 2] ^= 0x01
    return b64u(bytes(b))


def rsa_e1_jwks(g: Gen):
    """An RSA public key with e = 1 (the signature is the padded digest itself)."""
    n = g.keys.rsa[0].public_key().public_numbers().n
    return {"keys": [{"kty": "RSA", "kid": "e1", "n": b64u(int_bytes(n)), "e": "AQ"}]}


def pkcs1_em(message: bytes, alg: str, k: int) -> bytes:
    prefixes = {
        "256": bytes.fromhex("3031300d060960864801650304020105000420"),
        "384": bytes.fromhex("3041300d060960864801650304020205000430"),
        "512": bytes.fromhex("3051300d060960864801650304020305000440"),
    }
    digest = getattr(hashlib, "sha" + alg[2:])(message).digest()
    t = prefixes[alg[2:]] + digest
    return b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t


def token_rsa_e1(g: Gen, alg: str):
    def make(header, claims, key):
        header = {"alg": alg, "kid": "e1"}
        signing_input = f"{b64u(compact_json(header))}.{b64u(compact_json(claims))}"
        return f"{signing_input}.{b64u(pkcs1_em(signing_input.encode(), alg, 256))}"
    return make


SMALL_ORDER_ED25519 = b64u(b"\x01" + b"\x00" * 31)  # the identity point


def token_ed_small_order(header, claims, key):
    header = {"alg": "EdDSA", "kid": "small"}
    signing_input = f"{b64u(compact_json(header))}.{b64u(compact_json(claims))}"
    # R = identity, S = 0: [S]B = R + [k]A holds for A of small order.
    signature = b"\x01" + b"\x00" * 31 + b"\x00" * 32
    return f"{signing_input}.{b64u(signature)}"


def ec_coordinate(length_change: int):
    """EC JWK with x re-encoded one octet shorter (dropped leading zero) or longer (extra zero)."""
    def jwks(g: Gen):
        key = g.keys.ec_leading_zero
        nums = key.public_key().public_numbers()
        x = int_bytes(nums.x, 32 + length_change)
        jwk = {"kty": "EC", "crv": "P-256", "kid": "lz", "x": b64u(x), "y": b64u(int_bytes(nums.y, 32))}
        return {"keys": [jwk]}
    return jwks


def token_with_key(key_attr: str, kid: str, alg: str):
    def make(header, claims, _key):
        g = CURRENT_GEN
        key = getattr(g.keys, key_attr)
        header = {"alg": alg, "typ": "JWT", "kid": kid}
        signing_input = f"{b64u(compact_json(header))}.{b64u(compact_json(claims))}"
        return f"{signing_input}.{b64u(sign(alg, key, signing_input.encode()))}"
    return make


CURRENT_GEN: Gen | None = None


def high_s(sig_text, sig):
    half = len(sig) // 2
    r, s = int.from_bytes(sig[:half], "big"), int.from_bytes(sig[half:], "big")
    order = {32: 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
             48: 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973,
             66: 0x01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409}[half]
    return b64u(int_bytes(r, half) + int_bytes(order - s, half))


def der_sig(sig_text, sig):
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
    half = len(sig) // 2
    return b64u(encode_dss_signature(int.from_bytes(sig[:half], "big"), int.from_bytes(sig[half:], "big")))


def classes():
    """(class name, applicable algorithms, case builder(g, alg))."""
    T = []

    def add(name, algs, builder):
        T.append((name, algs, builder))

    # --- valid tokens
    add("valid", ALL_ALGS, lambda g, a: g.case("valid", a))
    add("valid-no-kid", ASYM_ALGS, lambda g, a: g.case("valid-no-kid", a, kid=None))
    add("valid-no-kid-two-fitting-keys", ASYM_ALGS, lambda g, a: g.case(
        "valid-no-kid-two-fitting-keys", a, kid=None, key_index=1,
        jwks=lambda g: {"keys": [public_jwk(a, g.keys.for_alg(a, 0), None, g.rng, with_alg=False),
                                 public_jwk(a, g.keys.for_alg(a, 1), None, g.rng, with_alg=False)]}))
    add("valid-no-exp-not-required", ALL_ALGS, lambda g, a: g.case(
        "valid-no-exp-not-required", a, claims=drop_claim("exp"), require_exp=False))
    add("valid-typ-at+jwt", ASYM_ALGS, lambda g, a: g.case(
        "valid-typ-at+jwt", a, header=lambda h: {**h, "typ": "at+jwt"}))
    add("valid-extra-header-members", ASYM_ALGS, lambda g, a: g.case(
        "valid-extra-header-members", a, header=lambda h: {**h, "x-custom": [1, {"a": None}], "cty": "json"}))
    add("valid-unicode-claims", ALL_ALGS, lambda g, a: g.case(
        "valid-unicode-claims", a, claims=set_claim("name", "J\u00fcrgen \U0001F600 \u2028")))
    add("ecdsa-high-s", list(EC_ALGS), lambda g, a: g.case("ecdsa-high-s", a, sig_transform=high_s))

    # --- time boundaries (leeway 0 or 60, same `now` on every side)
    add("exp-at-now-minus-leeway", ALL_ALGS, lambda g, a: g.case(
        "exp-at-now-minus-leeway", a, claims=set_claim("exp", lambda n, l: n - l)))
    add("exp-one-after-boundary", ALL_ALGS, lambda g, a: g.case(
        "exp-one-after-boundary", a, claims=set_claim("exp", lambda n, l: n - l + 1)))
    add("exp-long-expired", ALL_ALGS, lambda g, a: g.case(
        "exp-long-expired", a, claims=set_claim("exp", lambda n, l: n - 86400)))
    add("exp-missing-required", ALL_ALGS, lambda g, a: g.case(
        "exp-missing-required", a, claims=drop_claim("exp")))
    add("nbf-at-now-plus-leeway", ALL_ALGS, lambda g, a: g.case(
        "nbf-at-now-plus-leeway", a, claims=set_claim("nbf", lambda n, l: n + l)))
    add("nbf-one-past-leeway", ALL_ALGS, lambda g, a: g.case(
        "nbf-one-past-leeway", a, claims=set_claim("nbf", lambda n, l: n + l + 1)))
    add("iat-at-now-plus-leeway", ALL_ALGS, lambda g, a: g.case(
        "iat-at-now-plus-leeway", a, claims=set_claim("iat", lambda n, l: n + l)))
    add("iat-one-past-leeway", ALL_ALGS, lambda g, a: g.case(
        "iat-one-past-leeway", a, claims=set_claim("iat", lambda n, l: n + l + 1)))
    add("exp-fraction-at-boundary", ALL_ALGS, lambda g, a: g.case(
        "exp-fraction-at-boundary", a, claims=set_claim("exp", lambda n, l: n - l + 0.5)))
    add("nbf-fraction-past-leeway", ALL_ALGS, lambda g, a: g.case(
        "nbf-fraction-past-leeway", a, claims=set_claim("nbf", lambda n, l: n + l + 0.5)))
    add("iat-fraction-past-leeway", ALL_ALGS, lambda g, a: g.case(
        "iat-fraction-past-leeway", a, claims=set_claim("iat", lambda n, l: n + l + 0.5)))
    add("exp-fraction-valid", ALL_ALGS, lambda g, a: g.case(
        "exp-fraction-valid", a, claims=set_claim("exp", lambda n, l: n + 100.25)))

    # --- claim types
    add("nbf-null", ALL_ALGS, lambda g, a: g.case("nbf-null", a, claims=set_claim("nbf", None)))
    add("iat-null", ALL_ALGS, lambda g, a: g.case("iat-null", a, claims=set_claim("iat", None)))
    add("exp-null-required", ALL_ALGS, lambda g, a: g.case("exp-null-required", a, claims=set_claim("exp", None)))
    add("exp-null-not-required", ALL_ALGS, lambda g, a: g.case(
        "exp-null-not-required", a, claims=set_claim("exp", None), require_exp=False))
    add("exp-string", ALL_ALGS, lambda g, a: g.case(
        "exp-string", a, claims=set_claim("exp", lambda n, l: str(n + 600))))
    add("nbf-string", ALL_ALGS, lambda g, a: g.case(
        "nbf-string", a, claims=set_claim("nbf", lambda n, l: str(n - 10))))
    add("exp-bool", ALL_ALGS, lambda g, a: g.case("exp-bool", a, claims=set_claim("exp", True)))
    add("exp-huge-1e300", ALL_ALGS, lambda g, a: g.case("exp-huge-1e300", a, claims=set_claim("exp", 1e300)))
    add("exp-2-pow-64", ALL_ALGS, lambda g, a: g.case("exp-2-pow-64", a, claims=set_claim("exp", 2**64)))
    add("exp-year-9999", ALL_ALGS, lambda g, a: g.case("exp-year-9999", a, claims=set_claim("exp", 253402300799)))
    add("exp-year-10000", ALL_ALGS, lambda g, a: g.case("exp-year-10000", a, claims=set_claim("exp", 253402300800)))
    add("iat-before-year-1", ALL_ALGS, lambda g, a: g.case(
        "iat-before-year-1", a, claims=set_claim("iat", -62135596801)))
    add("nbf-negative-in-range", ALL_ALGS, lambda g, a: g.case(
        "nbf-negative-in-range", a, claims=set_claim("nbf", -1000)))
    add("auth-time-null", ALL_ALGS, lambda g, a: g.case("auth-time-null", a, claims=set_claim("auth_time", None)))
    add("auth-time-string", ALL_ALGS, lambda g, a: g.case(
        "auth-time-string", a, claims=set_claim("auth_time", lambda n, l: str(n - 100))))
    add("sub-array", ALL_ALGS, lambda g, a: g.case(
        "sub-array", a, claims=set_claim("sub", ["repo:evil/x", "repo:acme/app:ref:refs/heads/main"])))
    add("sub-number", ALL_ALGS, lambda g, a: g.case("sub-number", a, claims=set_claim("sub", 12345)))
    add("jti-number", ALL_ALGS, lambda g, a: g.case("jti-number", a, claims=set_claim("jti", 7)))
    add("iss-number-unpinned", ALL_ALGS, lambda g, a: g.case(
        "iss-number-unpinned", a, claims=set_claim("iss", 42), issuer=None))
    add("iss-number-pinned", ALL_ALGS, lambda g, a: g.case(
        "iss-number-pinned", a, claims=set_claim("iss", 42), issuer=ISS))
    add("iss-mismatch", ALL_ALGS, lambda g, a: g.case(
        "iss-mismatch", a, claims=set_claim("iss", ISS + "/"), issuer=ISS))
    # Google documents both spellings of its ID tokens' iss; oidcat accepts
    # the bare one when the pinned issuer is Google's (docs/differences.md).
    add("google-iss-url", ASYM_ALGS, lambda g, a: g.case(
        "google-iss-url", a, claims=set_claim("iss", GOOGLE), issuer=GOOGLE))
    add("google-iss-bare", ASYM_ALGS, lambda g, a: g.case(
        "google-iss-bare", a, claims=set_claim("iss", "accounts.google.com"), issuer=GOOGLE))
    add("aud-mismatch", ALL_ALGS, lambda g, a: g.case(
        "aud-mismatch", a, claims=set_claim("aud", "https://evil.example.com")))
    add("aud-missing", ALL_ALGS, lambda g, a: g.case("aud-missing", a, claims=drop_claim("aud")))
    add("aud-array-with-number", ALL_ALGS, lambda g, a: g.case(
        "aud-array-with-number", a, claims=set_claim("aud", [AUD, 1])))
    add("aud-empty-array", ALL_ALGS, lambda g, a: g.case("aud-empty-array", a, claims=set_claim("aud", [])))

    # --- payload encoding
    add("payload-duplicate-member", ALL_ALGS, lambda g, a: g.case(
        "payload-duplicate-member", a, payload_raw=raw_claims_with('"sub":"second"')(g, BASE_NOW), now=BASE_NOW))
    add("payload-lone-surrogate", ALL_ALGS, lambda g, a: g.case(
        "payload-lone-surrogate", a, payload_raw=raw_claims_with('"name":"\\ud800"')(g, BASE_NOW), now=BASE_NOW))
    add("payload-nan", ALL_ALGS, lambda g, a: g.case(
        "payload-nan", a, payload_raw=raw_claims_with('"x":NaN')(g, BASE_NOW), now=BASE_NOW))
    add("payload-invalid-utf8", ALL_ALGS, lambda g, a: g.case(
        "payload-invalid-utf8", a, payload_raw=compact_json(g.claims(BASE_NOW))[:-1] + b',"n":"\xff\xfe"}', now=BASE_NOW))
    add("payload-array", ALL_ALGS, lambda g, a: g.case("payload-array", a, payload_raw=b"[1,2]"))
    add("payload-trailing-garbage", ALL_ALGS, lambda g, a: g.case(
        "payload-trailing-garbage", a, payload_raw=compact_json(g.claims(BASE_NOW)) + b" x", now=BASE_NOW))
    add("payload-bom", ALL_ALGS, lambda g, a: g.case(
        "payload-bom", a, payload_raw=b"\xef\xbb\xbf" + compact_json(g.claims(BASE_NOW)), now=BASE_NOW))
    add("nested-jwt-cty", ASYM_ALGS, lambda g, a: g.case(
        "nested-jwt-cty", a, header=lambda h: {**h, "cty": "JWT"}))

    # --- header mutations
    add("alg-not-allowed", ASYM_ALGS, lambda g, a: g.case(
        "alg-not-allowed", a, algs=[x for x in (["ES256"] if a != "ES256" else ["RS256"])]))
    add("alg-none", ASYM_ALGS, lambda g, a: g.case(
        "alg-none", a, header=lambda h: {**h, "alg": "none"}, sig=b""))
    add("alg-lowercase", ASYM_ALGS, lambda g, a: g.case(
        "alg-lowercase", a, header=lambda h: {**h, "alg": h["alg"].lower()}))
    add("alg-hs256-with-public-key", RSA_ALGS, lambda g, a: g.case(
        "alg-hs256-with-public-key", a, token=lambda h, c, k: hs_confusion(g, h, c)))
    add("kid-unknown", ASYM_ALGS, lambda g, a: g.case(
        "kid-unknown", a, header=lambda h: {**h, "kid": "nope"}))
    add("kid-number", ASYM_ALGS, lambda g, a: g.case("kid-number", a, header=lambda h: {**h, "kid": 5}))
    add("crit-unknown", ALL_ALGS, lambda g, a: g.case(
        "crit-unknown", a, header=lambda h: {**h, "crit": ["x-ext"], "x-ext": 1}))
    add("crit-b64-false", ALL_ALGS, lambda g, a: g.case(
        "crit-b64-false", a, header=lambda h: {**h, "crit": ["b64"], "b64": False}))
    add("crit-empty", ALL_ALGS, lambda g, a: g.case("crit-empty", a, header=lambda h: {**h, "crit": []}))
    add("header-duplicate-member", ASYM_ALGS, lambda g, a: g.case(
        "header-duplicate-member", a, header_raw=(
            '{"alg":"%s","typ":"JWT","kid":"k0-%s","typ":"JWT"}' % (a, a.lower())).encode()))
    add("header-embedded-jwk", ASYM_ALGS, lambda g, a: g.case(
        "header-embedded-jwk", a, key_index=1, kid="k0-" + a.lower(),
        header=lambda h: {**h, "jwk": public_jwk(a, g.keys.for_alg(a, 1), None, g.rng)},
        jwks=lambda g: {"keys": [public_jwk(a, g.keys.for_alg(a, 0), "k0-" + a.lower(), g.rng)]}))
    add("header-not-object", ALL_ALGS, lambda g, a: g.case("header-not-object", a, header_raw=b'["alg"]'))

    # --- signature mutations
    add("sig-bit-flip", ALL_ALGS, lambda g, a: g.case("sig-bit-flip", a, sig_transform=flip_bit))
    add("sig-truncated", ALL_ALGS, lambda g, a: g.case(
        "sig-truncated", a, sig_transform=lambda t, s: b64u(s[:-1])))
    add("sig-extra-byte", ALL_ALGS, lambda g, a: g.case(
        "sig-extra-byte", a, sig_transform=lambda t, s: b64u(s + b"\x00")))
    add("sig-empty", ALL_ALGS, lambda g, a: g.case("sig-empty", a, sig_transform=lambda t, s: ""))
    # Signatures whose length is not a multiple of 3 octets: their base64url
    # has padding to add and unused bits in its last character.
    unpadded = RSA_ALGS + ["ES256", "EdDSA", "HS256", "HS512"]
    add("sig-padded", unpadded, lambda g, a: g.case(
        "sig-padded", a, sig_transform=lambda t, s: base64.urlsafe_b64encode(s).decode()))
    add("sig-standard-base64", ALL_ALGS, lambda g, a: g.case(
        "sig-standard-base64", a, sig_transform=lambda t, s: std_b64_sig(t, s)))
    add("sig-nonzero-trailing-bits", unpadded, lambda g, a: g.case(
        "sig-nonzero-trailing-bits", a, sig_transform=lambda t, s: trailing_bits(t, s)))
    add("ecdsa-der-signature", list(EC_ALGS), lambda g, a: g.case("ecdsa-der-signature", a, sig_transform=der_sig))
    add("ecdsa-zero-signature", list(EC_ALGS), lambda g, a: g.case(
        "ecdsa-zero-signature", a, sig_transform=lambda t, s: b64u(b"\x00" * len(s))))
    add("eddsa-small-order-key", ["EdDSA"], lambda g, a: g.case(
        "eddsa-small-order-key", a, token=token_ed_small_order,
        jwks={"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "small", "x": SMALL_ORDER_ED25519}]}))
    add("rsa-e-1", ["RS256", "RS384", "RS512"], lambda g, a: g.case(
        "rsa-e-1", a, token=token_rsa_e1(g, a), jwks=rsa_e1_jwks))

    # --- segments and sizes
    add("token-two-segments", ALL_ALGS, lambda g, a: g.case(
        "token-two-segments", a, token=lambda h, c, k: f"{b64u(compact_json(h))}.{b64u(compact_json(c))}"))
    add("token-four-segments", ALL_ALGS, lambda g, a: g.case(
        "token-four-segments", a, sig_transform=lambda t, s: t + ".AAAA"))
    add("token-over-64k", ASYM_ALGS, lambda g, a: g.case(
        "token-over-64k", a, claims=set_claim("pad", "x" * 70000)))
    add("token-bom-in-file", ALL_ALGS, lambda g, a: g.case("token-bom-in-file", a, token_bom=True))

    # --- HMAC secrets
    add("hs-short-secret", HS_ALGS, hs_short)
    add("hs-wrong-secret", HS_ALGS, lambda g, a: g.case(
        "hs-wrong-secret", a, verify_secret=g.rng.randbytes(64)))
    add("hs-token-with-rsa-set", ["RS256"], lambda g, a: g.case(
        "hs-token-with-rsa-set", a, algs=["RS256", "HS256"], token=lambda h, c, k: hs_confusion(g, h, c)))

    # --- key members and key sets
    add("jwk-key-ops-duplicate", ASYM_ALGS, lambda g, a: g.case(
        "jwk-key-ops-duplicate", a, jwk_transform=lambda j: {**j, "key_ops": ["verify", "verify"]}))
    add("jwk-key-ops-verify", ASYM_ALGS, lambda g, a: g.case(
        "jwk-key-ops-verify", a, jwk_transform=lambda j: {**j, "key_ops": ["verify"]}))
    add("jwk-key-ops-sign-only", ASYM_ALGS, lambda g, a: g.case(
        "jwk-key-ops-sign-only", a, jwk_transform=lambda j: {**j, "key_ops": ["sign"]}))
    add("jwk-use-enc", ASYM_ALGS, lambda g, a: g.case(
        "jwk-use-enc", a, jwk_transform=lambda j: {**j, "use": "enc"}))
    add("jwk-alg-other", ASYM_ALGS, lambda g, a: g.case(
        "jwk-alg-other", a, jwk_transform=lambda j: {**j, "alg": other_alg_same_kty(a)}))
    add("jwk-private-member", ["RS256", "PS256"], lambda g, a: g.case(
        "jwk-private-member", a, jwk_transform=lambda j: {**j, "d": b64u(int_bytes(g.keys.rsa[0].private_numbers().d))}))
    add("jwk-rsa-n-leading-zero", RSA_ALGS, lambda g, a: g.case(
        "jwk-rsa-n-leading-zero", a, jwk_transform=lambda j: {**j, "n": b64u(b"\x00" + b64d(j["n"]))}))
    add("jwk-rsa-e-leading-zero", RSA_ALGS, lambda g, a: g.case(
        "jwk-rsa-e-leading-zero", a, jwk_transform=lambda j: {**j, "e": b64u(b"\x00" + b64d(j["e"]))}))
    add("jwk-member-padded", ASYM_ALGS, lambda g, a: g.case(
        "jwk-member-padded", a, jwk_transform=pad_members))
    add("jwk-ec-coordinate-short", ["ES256"], lambda g, a: g.case(
        "jwk-ec-coordinate-short", a, kid="lz", token=token_with_key("ec_leading_zero", "lz", "ES256"),
        jwks=ec_coordinate(-1)))
    add("jwk-ec-coordinate-long", ["ES256"], lambda g, a: g.case(
        "jwk-ec-coordinate-long", a, kid="lz", token=token_with_key("ec_leading_zero", "lz", "ES256"),
        jwks=ec_coordinate(+1)))
    add("jwk-ec-wrong-curve", list(EC_ALGS), lambda g, a: g.case(
        "jwk-ec-wrong-curve", a, jwk_transform=lambda j: {**j, "crv": "P-384" if j["crv"] != "P-384" else "P-256"}))
    add("jwk-ec-point-off-curve", list(EC_ALGS), lambda g, a: g.case(
        "jwk-ec-point-off-curve", a, jwk_transform=lambda j: {**j, "y": b64u(bump(b64d(j["y"])))}))
    add("jwk-rsa-1024", ["RS256", "PS256"], lambda g, a: g.case(
        "jwk-rsa-1024", a, token=token_with_key("rsa_weak", "weak", a),
        jwks=lambda g: {"keys": [{"kty": "RSA", "kid": "weak",
                                  "n": b64u(int_bytes(g.keys.rsa_weak.public_key().public_numbers().n)), "e": "AQAB"}]}))
    add("jwks-oct-key", ["RS256"], lambda g, a: oct_in_set(g))
    add("jwks-bom-in-file", ASYM_ALGS, lambda g, a: g.case("jwks-bom-in-file", a, jwks_bom=True))
    # Real issuers' published key sets (tests/fixtures/providers) around the
    # signing key: their layouts (x5c, x5t, odd members, padded or leading-zero
    # numbers) must not disturb the choice of key.
    add("provider-key-set", ASYM_ALGS, lambda g, a: g.case(
        "provider-key-set", a, jwks=provider_set(a, with_kid=True)))
    add("provider-key-set-no-kid", ASYM_ALGS, lambda g, a: g.case(
        "provider-key-set-no-kid", a, kid=None, jwks=provider_set(a, with_kid=False)))
    add("jwks-not-a-set", ASYM_ALGS, lambda g, a: g.case(
        "jwks-not-a-set", a, jwks=lambda g: {"keys": {"kty": "RSA"}}))
    return T


PROVIDERS = sorted((HERE.parent / "fixtures" / "providers").glob("*/jwks.json"))


def provider_set(alg: str, with_kid: bool):
    def jwks(g: Gen):
        path = g.rng.choice(PROVIDERS)
        keys = [k for k in json.loads(path.read_text()).get("keys", []) if isinstance(k, dict)]
        jwk = public_jwk(alg, g.keys.for_alg(alg, 0), f"k0-{alg.lower()}" if with_kid else None, g.rng)
        keys.insert(g.rng.randrange(len(keys) + 1), jwk)
        return {"keys": keys}
    return jwks


def b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def bump(data: bytes) -> bytes:
    b = bytearray(data)
    b[-1] ^= 0x01
    return bytes(b)


def pad_members(jwk):
    out = dict(jwk)
    for m in ("n", "x", "y"):
        if m in out:
            out[m] = base64.urlsafe_b64encode(b64d(out[m])).decode()
    # P-384 coordinates (48 octets) need no padding: that case is a valid one.
    return out


def other_alg_same_kty(alg):
    if alg in RSA_ALGS:
        return "RS384" if alg != "RS384" else "RS256"
    if alg in EC_ALGS:
        return "ES384" if alg != "ES384" else "ES256"
    return "ES256"


def std_b64_sig(text, sig):
    std = base64.b64encode(sig).decode().rstrip("=")
    if std == text:  # no '-' or '_' in it: substitute a different signature that has one
        return text.replace("A", "+", 1) if "A" in text else text + "+"
    return std


def trailing_bits(text, sig):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    assert len(sig) % 3, "a signature with unused bits in its last character"
    last = alphabet.index(text[-1])
    return text[:-1] + alphabet[last | 1]


def hs_confusion(g: Gen, header, claims):
    pem = g.keys.rsa[0].public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    h = {"alg": "HS256", "typ": "JWT", "kid": header.get("kid", "k0-rs256")}
    signing_input = f"{b64u(compact_json(h))}.{b64u(compact_json(claims))}"
    return f"{signing_input}.{b64u(hmac.new(pem, signing_input.encode(), hashlib.sha256).digest())}"


def hs_short(g: Gen, alg: str):
    short = g.rng.randbytes(int(alg[2:]) // 8 - 1)
    return g.case("hs-short-secret", alg, secret=short, verify_secret=short)


def oct_in_set(g: Gen):
    """An HS256 token whose key is an `oct` JWK in a key set (never from a set, for oidcat)."""
    secret = g.rng.randbytes(32)
    case = g.case("jwks-oct-key", "RS256", algs=["RS256", "HS256"], secret=secret,
                  token=lambda h, c, k: hs_token(secret, c),
                  jwks={"keys": [{"kty": "oct", "kid": "hs", "k": b64u(secret)}]})
    return case


def hs_token(secret, claims):
    h = {"alg": "HS256", "typ": "JWT", "kid": "hs"}
    signing_input = f"{b64u(compact_json(h))}.{b64u(compact_json(claims))}"
    return f"{signing_input}.{b64u(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())}"


def generate(seed: int, count: int) -> list[dict]:
    global CURRENT_GEN
    g = Gen(seed)
    CURRENT_GEN = g
    table = classes()
    cases = []
    for i in range(count):
        name, algs, builder = table[i % len(table)]
        # Each round visits every class once; the algorithm rotates with the
        # class's position so one round already spreads over all of them.
        alg = algs[(i // len(table) + i) % len(algs)]
        case = builder(g, alg)
        case["class"] = name
        case["seq"] = i
        cases.append(case)
    return cases


# ---------------------------------------------------------------------------
# The three verifiers


def run_oidcat(binary: str, case: dict, workdir: Path) -> dict:
    d = workdir / f"c{case['seq']}"
    d.mkdir(parents=True, exist_ok=True)
    token_file = d / "token"
    token_file.write_bytes((b"\xef\xbb\xbf" if case["token_bom"] else b"") + case["token"].encode() + b"\n")
    args = [binary, "verify", "-o", "json", "--no-cache", "--color", "never",
            "--now", str(case["now"]), "--leeway", str(case["leeway"]), "--audience", case["audience"]]
    for alg in case["algs"]:
        args += ["--alg", alg]
    if case["secret_b64"] is not None:
        secret_file = d / "secret"
        secret_file.write_bytes(base64.b64decode(case["secret_b64"]))
        args += ["--secret-file", str(secret_file)]
    else:
        jwks_file = d / "jwks.json"
        jwks_file.write_bytes((b"\xef\xbb\xbf" if case["jwks_bom"] else b"") + case["jwks_text"].encode())
        args += ["--jwks-file", str(jwks_file)]
    if case["issuer"] is not None:
        args += ["--issuer", case["issuer"]]
    if not case["require_exp"]:
        args.append("--no-require-exp")
    args.append(f"@{token_file}")
    try:
        proc = subprocess.run(args, capture_output=True, timeout=20, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return {"accept": None, "error": "timeout after 20 s"}
    finally:
        shutil.rmtree(d, ignore_errors=True)
    code = proc.returncode
    kind = None
    try:
        doc = json.loads(proc.stdout)
        kind = (doc.get("error") or {}).get("kind") if isinstance(doc, dict) else None
    except ValueError:
        pass
    if code == 0:
        return {"accept": True, "error": None}
    if code in (1, 2, 3):
        if kind is None:  # a usage error before the verdict document (exit 2)
            message = proc.stderr.decode(errors="replace").strip().splitlines()
            return {"accept": False, "error": f"exit {code}: {message[0] if message else ''}"}
        return {"accept": False, "error": f"exit {code} {kind}: {message_of(doc)}"}
    return {"accept": None, "error": f"exit {code}: {proc.stderr.decode(errors='replace')[-500:]}"}


def message_of(doc) -> str:
    return str((doc.get("error") or {}).get("message", ""))[:300]


class FrozenDatetime(datetime.datetime):
    """PyJWT reads the clock as datetime.now(tz=utc) in api_jwt; this one stops it."""

    frozen: float = 0.0

    @classmethod
    def now(cls, tz=None):
        return datetime.datetime.fromtimestamp(cls.frozen, tz)


jwt.api_jwt.datetime = FrozenDatetime


def run_pyjwt(case: dict) -> dict:
    FrozenDatetime.frozen = case["now"]
    kwargs = {
        "algorithms": case["algs"],
        "audience": case["audience"],
        "issuer": case["issuer"],
        "leeway": case["leeway"],
        "options": {"require": ["exp"] if case["require_exp"] else [], "enforce_minimum_key_length": True},
    }
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if case["secret_b64"] is not None:
                jwt.decode(case["token"], base64.b64decode(case["secret_b64"]), **kwargs)
                return {"accept": True, "error": None}
            # Key selection as PyJWKClient does it (use sig or absent, the
            # header's kid), extended to try every fitting key when the token
            # has no kid, as oidcat and jose do.
            header = jwt.get_unverified_header(case["token"])
            kid = header.get("kid")
            keys = case["jwks"].get("keys") if isinstance(case["jwks"], dict) else None
            if not isinstance(keys, list):
                return {"accept": False, "error": "PyJWKSetError: not a key set"}
            last = "no key matches"
            for jwk in keys:
                if not isinstance(jwk, dict) or jwk.get("use") not in (None, "sig"):
                    continue
                if kid is not None and jwk.get("kid") != kid:
                    continue
                try:
                    key = PyJWK(jwk, None if "alg" in jwk else header.get("alg"))
                except jwt.PyJWTError as err:
                    last = f"{type(err).__name__}: {err}"
                    continue
                try:
                    jwt.decode(case["token"], key, **kwargs)
                    return {"accept": True, "error": None}
                except (jwt.InvalidSignatureError, jwt.InvalidAlgorithmError, jwt.InvalidKeyError) as err:
                    last = f"{type(err).__name__}: {err}"
                    continue
            return {"accept": False, "error": last}
    except Exception as err:  # every refusal PyJWT (or its JSON parser) raises
        return {"accept": False, "error": f"{type(err).__name__}: {err}"}


def run_jose(cases: list[dict], workdir: Path, node: str) -> dict:
    cases_file = workdir / "cases.json"
    out_file = workdir / "jose.json"
    fields = ("id", "token", "jwks", "secret_b64", "algs", "audience", "issuer", "now", "leeway",
              "require_exp", "claims_have_iat")
    cases_file.write_text(json.dumps([{k: c[k] for k in fields} for c in cases]))
    proc = subprocess.run([node, str(HERE / "jose_oracle.mjs"), str(cases_file), str(out_file)],
                          capture_output=True, timeout=600, cwd=HERE)
    if proc.returncode != 0:
        sys.exit(f"the jose oracle failed (exit {proc.returncode}):\n{proc.stderr.decode(errors='replace')}")
    return json.loads(out_file.read_text())


# ---------------------------------------------------------------------------
# Comparison


def load_allowlist(path: Path) -> list[dict]:
    doc = json.loads(path.read_text())
    entries = doc["entries"]
    problems = []
    for i, e in enumerate(entries):
        missing = [k for k in ("class", "oracle", "oidcat", "right", "reason", "reference") if not e.get(k)]
        if missing:
            problems.append(f"entry {i} ({e.get('class')}): missing {', '.join(missing)}")
        if e.get("oracle") not in ("jose", "pyjwt"):
            problems.append(f"entry {i} ({e.get('class')}): oracle must be jose or pyjwt")
        if e.get("oidcat") not in ("accept", "reject"):
            problems.append(f"entry {i} ({e.get('class')}): oidcat must be accept or reject")
        if e.get("right") not in ("oidcat", "oracle"):
            problems.append(f"entry {i} ({e.get('class')}): right must be oidcat or oracle")
        # oidcat accepting what an oracle rejects is only tolerated when the
        # oracle is the one that is wrong.
        if e.get("oidcat") == "accept" and e.get("right") != "oidcat":
            problems.append(f"entry {i} ({e.get('class')}): oidcat accepts what {e.get('oracle')} rightly rejects: fix oidcat, do not list it")
    if problems:
        sys.exit("allowlist.json is invalid:\n  " + "\n  ".join(problems))
    return entries


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--oidcat", required=True, help="path to the oidcat binary")
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--node", default=shutil.which("node") or "node")
    ap.add_argument("--allowlist", default=str(HERE / "allowlist.json"))
    ap.add_argument("--verbose", action="store_true", help="print every disagreement, explained or not")
    ap.add_argument("--list-classes", action="store_true")
    args = ap.parse_args()

    if args.list_classes:
        for name, algs, _ in classes():
            print(f"{name}: {' '.join(algs)}")
        return 0

    started = time.monotonic()
    allowlist = load_allowlist(Path(args.allowlist))
    cases = generate(args.seed, args.cases)
    n_classes = len(classes())
    with tempfile.TemporaryDirectory(prefix="oidcat-differential-") as tmp:
        workdir = Path(tmp)
        jose = run_jose(cases, workdir, args.node)
        pyjwt = {c["id"]: run_pyjwt(c) for c in cases}
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            oidcat = dict(zip((c["id"] for c in cases),
                              pool.map(lambda c: run_oidcat(args.oidcat, c, workdir), cases)))

    used = [0] * len(allowlist)
    failures = []  # lines to print
    failed_ids = set()
    explained = []
    agreements = 0
    for c in cases:
        o = oidcat[c["id"]]
        if o["accept"] is None:
            failures.append(f"{c['id']}: oidcat did not give a verdict: {o['error']}")
            failed_ids.add(c["id"])
            continue
        verdict = "accept" if o["accept"] else "reject"
        agreed = True
        for name, results in (("jose", jose), ("pyjwt", pyjwt)):
            r = results[c["id"]]
            if r["accept"] == o["accept"]:
                continue
            agreed = False
            match = [i for i, e in enumerate(allowlist)
                     if e["class"] == c["class"] and e["oracle"] == name and e["oidcat"] == verdict]
            line = (f"{c['id']}: oidcat {verdict}s ({o['error'] or 'valid'}), "
                    f"{name} {'accepts' if r['accept'] else 'rejects'} ({r['error'] or 'valid'})")
            if match:
                for i in match:
                    used[i] += 1
                explained.append(line)
            else:
                failures.append(line)
                failed_ids.add(c["id"])
        agreements += agreed

    if args.verbose:
        table = {}
        for c in cases:
            key = "".join("A" if r[c["id"]]["accept"] else "R" for r in (oidcat, jose, pyjwt))
            table.setdefault(c["class"], {}).setdefault(key, 0)
            table[c["class"]][key] += 1
        print("verdicts per class (oidcat, jose, PyJWT; A accept, R reject):")
        for name, counts in table.items():
            print(f"  {name}: " + " ".join(f"{k}x{n}" for k, n in sorted(counts.items())))
        for line in explained:
            print(f"explained: {line}")
    for line in failures:
        print(f"DISAGREEMENT: {line}")
    # An entry that no case matched is stale, once every class was drawn.
    stale = []
    if len(cases) >= n_classes:
        stale = [e for e, n in zip(allowlist, used) if n == 0]
        for e in stale:
            print(f"STALE: allowlist entry {e['class']} / {e['oracle']} / oidcat {e['oidcat']} matched no case")
    elapsed = time.monotonic() - started
    print(f"differential (seed {args.seed}): {len(cases)} cases in {n_classes} classes, "
          f"{agreements} agreed on every side, {len(explained)} disagreements explained by the "
          f"allowlist ({len(allowlist)} entries), {len(failures)} unexplained, "
          f"{len(stale)} stale entries, {elapsed:.1f} s")
    # The closing line CI reads: a case fails on an unexplained disagreement
    # or a missing verdict, and each stale allowlist entry counts as a failure.
    passed = len(cases) - len(failed_ids)
    print(f"differential: {passed} passed, {len(failed_ids) + len(stale)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
