//! The help-example texts of each subcommand (see `pub mod examples` in
//! the parent for what they promise).

pub const HEADING: &str =
    "Examples (from a clone of the repository; the files are its test fixtures):";

pub const DECODE: &str = "\
Examples (from a clone of the repository; the files are its test fixtures):
  # What is inside a token; nothing is verified (exit 0):
  oidcat decode @tests/fixtures/github/expired.jwt
  # Only the claims, as JSON for jq, from stdin (exit 0):
  oidcat decode --claims < tests/fixtures/github/expired.jwt
  # Relative times as of another instant (exit 0):
  oidcat decode --now 2023-01-23T18:35:00Z @tests/fixtures/github/expired.jwt";

pub const VERIFY: &str = "\
Examples (from a clone of the repository; the files are its test fixtures):
  # A GitHub Actions token against a saved key set, at a time it was valid (exit 0):
  oidcat verify --iss github --jwks-file tests/fixtures/github/jwks.json \\
      --aud https://github.com/nickolashkraus --now 2023-01-23T18:35:00Z \\
      @tests/fixtures/github/expired.jwt
  # Claim assertions: an exact value, a glob, a present claim, a jq expression (exit 0):
  oidcat verify --iss github --jwks-file tests/fixtures/github/jwks.json \\
      --aud https://github.com/nickolashkraus --now 2023-01-23T18:35:00Z \\
      --claim repository=nickolashkraus/flask-oidc --claim 'ref~refs/heads/*' \\
      --require sha --assert '.run_attempt == \"1\"' @tests/fixtures/github/expired.jwt
  # The same token today: expired, so rejected; the JSON verdict on stdout (exit 1):
  oidcat verify -o json --iss github --jwks-file tests/fixtures/github/jwks.json \\
      --aud https://github.com/nickolashkraus < tests/fixtures/github/expired.jwt
  # A token from your own test key, checked with its public key (exit 0):
  oidcat sign --key tests/fixtures/keys/p256.pem --iss https://issuer.example --aud api \\
      | oidcat verify --key tests/fixtures/keys/p256.pub.pem --iss https://issuer.example --aud api
  # With the issuer's published keys (discovery, needs the network):
  #   oidcat verify --iss github --aud https://github.com/acme @token.jwt";

pub const DISCOVER: &str = "\
Examples (from a clone of the repository; the files are its test fixtures):
  # Check a saved discovery document, offline (exit 0):
  oidcat discover --file tests/fixtures/github/openid-configuration.json
  # ... and that it names the issuer you expect (exit 0):
  oidcat discover --file tests/fixtures/github/openid-configuration.json --issuer github
  # A live issuer (needs the network):
  #   oidcat discover github";

pub const JWKS: &str = "\
Examples (from a clone of the repository; the files are its test fixtures):
  # The keys of a saved key set: thumbprints, certificates, warnings (exit 0):
  oidcat jwks tests/fixtures/github/jwks.json
  # As PEM (exit 0):
  oidcat jwks --jwks-file tests/fixtures/github/jwks.json --pem
  # As JSON (exit 0):
  oidcat jwks -o json tests/fixtures/keys/jwks.json
  # A live issuer's keys (needs the network):
  #   oidcat jwks github";

pub const TOKEN: &str = "\
Examples:
  # Outside a GitHub Actions job it says why there is no token (exit 3):
  oidcat token --audience my-api
  # In a job with `permissions: id-token: write`, straight into verify:
  #   oidcat token --audience my-api | oidcat verify --iss github --aud my-api";

pub const SERVE: &str = "\
Examples (from a clone of the repository; the files are its test fixtures):
  # GitHub Actions tokens for audience my-api, keys from a saved set, on
  # 127.0.0.1:8080 (runs until stopped):
  oidcat serve --iss github --jwks-file tests/fixtures/github/jwks.json --aud my-api \\
      --claim 'repository~nickolashkraus/*' --forward-claim repository
  # The same from environment variables, as in a container (runs until stopped):
  OIDCAT_ISSUER=github OIDCAT_JWKS_FILE=tests/fixtures/github/jwks.json \\
      OIDCAT_AUDIENCE=my-api,my-other-api oidcat serve
  # Then ask it:
  #   curl -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:8080/verify";

pub const SIGN: &str = "\
Examples (from a clone of the repository; the files are its test fixtures):
  # A token signed with a test key, valid for an hour (exit 0):
  oidcat sign --key tests/fixtures/keys/p256.pem --iss https://issuer.example --aud api --sub me
  # Claims as JSON on stdin, valid for 15 minutes (exit 0):
  echo '{\"repository\": \"acme/app\"}' | oidcat sign --key tests/fixtures/keys/rsa.pem --exp-in 15m -";

pub const KEYGEN: &str = "\
Examples:
  # A new private ES256 JWK (exit 0):
  oidcat keygen --alg ES256
  # ... and its public key set, for verify --jwks-file (exit 0):
  oidcat keygen --alg ES256 | oidcat keygen --public /dev/stdin";

pub const POLICY: &str = "\
Examples (from a clone of the repository; the files are its test fixtures):
  # Read a policy file strictly and summarise it (exit 0):
  oidcat policy check tests/fixtures/policy/deploy.toml
  # The same summary as a JSON document (exit 0):
  oidcat -o json policy check tests/fixtures/policy/deploy.toml
  # The decision serve --policy makes for a request to /artifacts/... (exit 0):
  oidcat verify --policy tests/fixtures/policy/deploy.toml --path /artifacts/build.tar \\
      --now 2023-01-23T18:35:00Z @tests/fixtures/github/expired.jwt
  # ... and to /deploy/..., whose route wants ref=refs/heads/main (exit 1):
  oidcat verify --policy tests/fixtures/policy/deploy.toml --path /deploy/prod \\
      --now 2023-01-23T18:35:00Z @tests/fixtures/github/expired.jwt";

pub const COMPLETIONS: &str = "\
Examples:
  # The bash script (exit 0); install it where your shell looks, e.g.
  #   oidcat completions bash > ~/.local/share/bash-completion/completions/oidcat
  oidcat completions bash
  # zsh: put it in a directory on $fpath as _oidcat (exit 0):
  oidcat completions zsh";

pub const MAN: &str = "\
Examples:
  # oidcat(1) (exit 0):
  oidcat man
  # oidcat-verify(1); read it with: oidcat man verify | man -l - (exit 0):
  oidcat man verify";
