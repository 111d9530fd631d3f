"""The design `oidcat serve` replaces: a Flask + Authlib auth endpoint that
fetches the issuer's key set on every request, then verifies the token.

    ISSUER=http://127.0.0.1:PORT AUDIENCE=... gunicorn -w 2 -b 127.0.0.1:8082 app:app

GET /verify with `Authorization: Bearer <JWT>`: 200 when the signature, iss,
aud, exp, nbf and iat hold, else 401. Used by bench/serve.sh only.
"""
import os
import warnings

import requests
from flask import Flask, request

warnings.filterwarnings("ignore")  # authlib.jose deprecation notice
from authlib.jose import JsonWebKey, jwt  # noqa: E402
from authlib.jose.errors import JoseError  # noqa: E402

ISSUER = os.environ["ISSUER"]
AUDIENCE = os.environ["AUDIENCE"]
JWKS_URI = os.environ.get("JWKS_URI", ISSUER + "/jwks.json")
CLAIMS = {
    "iss": {"essential": True, "value": ISSUER},
    "aud": {"essential": True, "value": AUDIENCE},
    "exp": {"essential": True},
}

app = Flask(__name__)
session = requests.Session()


@app.route("/verify")
def verify():
    auth = request.headers.get("Authorization", "")
    if not auth.startswith("Bearer "):
        return "no bearer token\n", 401
    keys = JsonWebKey.import_key_set(session.get(JWKS_URI, timeout=5).json())
    try:
        claims = jwt.decode(auth[7:], keys, claims_options=CLAIMS)
        claims.validate(leeway=60)
    except (JoseError, ValueError) as e:
        return f"invalid: {type(e).__name__}\n", 401
    return "ok\n", 200
