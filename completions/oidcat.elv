
use builtin;
use str;

set edit:completion:arg-completer[oidcat] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'oidcat'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'oidcat'= {
            cand -o 'Output format: JSON is one document on stdout, also on failure'
            cand --output 'Output format: JSON is one document on stdout, also on failure'
            cand --color 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured'
            cand --timeout 'Seconds allowed for each HTTP request (connect, TLS, headers and body)'
            cand --ca-file 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too'
            cand --cache-dir 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]'
            cand -q 'Print nothing on success; only the reason on failure (stderr)'
            cand --quiet 'Print nothing on success; only the reason on failure (stderr)'
            cand -v 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --verbose 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --allow-http 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
            cand --no-cache 'Neither read nor write the disk cache'
            cand --offline 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand discover 'Fetch and check an issuer''s discovery document'
            cand jwks 'List an issuer''s signing keys with thumbprints, certificate details and warnings'
            cand decode 'Show a token''s header and claims. Does NOT verify anything'
            cand verify 'Verify a token: signature, issuer, audience, time, and your assertions'
            cand token 'Print this GitHub Actions job''s OIDC token (needs `permissions: id-token: write`)'
            cand policy 'Check a policy file (several issuers, per-route rules) without any network access'
            cand sign 'Sign a JWT, for tests: prints a token made with your private key'
            cand keygen 'Make a private key for tests (`oidcat sign`), or print a key''s public JWKS'
            cand completions 'Print a shell completion script'
            cand man 'Print a man page (roff): oidcat(1), or oidcat-SUBCOMMAND(1)'
            cand serve 'Answer "is this bearer token good?" over HTTP, for gateways'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oidcat;discover'= {
            cand --file 'Check a saved discovery document offline (its own `issuer` is expected unless --issuer names one)'
            cand --issuer 'With --file: the issuer the document must name (URL or preset)'
            cand -o 'Output format: JSON is one document on stdout, also on failure'
            cand --output 'Output format: JSON is one document on stdout, also on failure'
            cand --color 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured'
            cand --timeout 'Seconds allowed for each HTTP request (connect, TLS, headers and body)'
            cand --ca-file 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too'
            cand --cache-dir 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]'
            cand --raw 'Print the document exactly as fetched'
            cand -q 'Print nothing on success; only the reason on failure (stderr)'
            cand --quiet 'Print nothing on success; only the reason on failure (stderr)'
            cand -v 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --verbose 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --allow-http 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
            cand --no-cache 'Neither read nor write the disk cache'
            cand --offline 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oidcat;jwks'= {
            cand --jwks-uri 'Fetch the key set from this URL'
            cand --jwks-file 'Read the key set from a file (`--file` is an alias)'
            cand --pem 'Print the public keys as SPKI PEM (only the key with this kid, if given)'
            cand -o 'Output format: JSON is one document on stdout, also on failure'
            cand --output 'Output format: JSON is one document on stdout, also on failure'
            cand --color 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured'
            cand --timeout 'Seconds allowed for each HTTP request (connect, TLS, headers and body)'
            cand --ca-file 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too'
            cand --cache-dir 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]'
            cand -q 'Print nothing on success; only the reason on failure (stderr)'
            cand --quiet 'Print nothing on success; only the reason on failure (stderr)'
            cand -v 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --verbose 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --allow-http 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
            cand --no-cache 'Neither read nor write the disk cache'
            cand --offline 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oidcat;decode'= {
            cand --now 'The clock for relative times: Unix seconds or RFC 3339'
            cand -o 'Output format: JSON is one document on stdout, also on failure'
            cand --output 'Output format: JSON is one document on stdout, also on failure'
            cand --color 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured'
            cand --timeout 'Seconds allowed for each HTTP request (connect, TLS, headers and body)'
            cand --ca-file 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too'
            cand --cache-dir 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]'
            cand --header 'Print only the header, as JSON'
            cand --claims 'Print only the claims, as JSON (for jq)'
            cand -q 'Print nothing on success; only the reason on failure (stderr)'
            cand --quiet 'Print nothing on success; only the reason on failure (stderr)'
            cand -v 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --verbose 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --allow-http 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
            cand --no-cache 'Neither read nor write the disk cache'
            cand --offline 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oidcat;verify'= {
            cand --issuer 'Issuer URL or preset (github, gitlab, google): keys via discovery, and `iss` must equal it'
            cand --iss 'Issuer URL or preset (github, gitlab, google): keys via discovery, and `iss` must equal it'
            cand --jwks-uri 'Key set URL (skips discovery)'
            cand --jwks-file 'Key set file (JWKS JSON)'
            cand --key 'One public key: PEM (SPKI or RSA PUBLIC KEY), an X.509 certificate, or a JWK'
            cand --secret-file 'HMAC secret file (raw bytes). Only then are HS256/HS384/HS512 allowed'
            cand --secret-env 'HMAC secret from this environment variable'
            cand --audience 'Accepted audience (repeatable): the token''s `aud` must hold one of them'
            cand --aud 'Accepted audience (repeatable): the token''s `aud` must hold one of them'
            cand --alg 'Allowed algorithm (repeatable) [default: RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 ES256K EdDSA; HS* only with a secret; ML-DSA-44/65/87 only when named]. `none` is never accepted'
            cand --claim 'Claim assertion: NAME=VALUE, NAME!=VALUE, NAME~GLOB, NAME!~GLOB (repeatable). GLOB: `*` any run (also `/`), `?` one character; anchored. Dotted NAME reaches into objects. A missing claim fails all four'
            cand --require 'The claim must be present (repeatable)'
            cand --assert 'jq expression over the claims (`$header` is the header); holds when it yields only `true` (repeatable)'
            cand --leeway 'Clock skew allowed on exp, nbf and iat, in seconds (at most 600)'
            cand --typ 'Required header `typ` (case-insensitive; `application/` optional), e.g. at+jwt'
            cand --max-age 'Reject tokens whose `iat` is older than this many seconds (requires iat)'
            cand --repo 'The repository: GitHub `repository`, GitLab `project_path` (OWNER/NAME)'
            cand --ref 'The ref: GitHub `ref`, a full ref (refs/heads/main); GitLab `ref`, a branch or tag name (main)'
            cand --workflow 'The workflow: GitHub `job_workflow_ref` (OWNER/REPO/.github/workflows/FILE@REF); GitLab `ci_config_ref_uri`'
            cand --environment 'The deployment environment: `environment` (absent on a job without one)'
            cand --event 'The event that started the run: GitHub `event_name`, GitLab `pipeline_source`'
            cand --now 'Evaluate time claims at this instant (Unix seconds or RFC 3339)'
            cand --github-output 'In GitHub Actions: write this claim of a valid token to $GITHUB_OUTPUT (repeatable)'
            cand --policy 'Decide with this policy file (issuers, keys and routes; docs/policy.md) instead of the key-source and check flags'
            cand --path 'With --policy: the request path to decide for (the first matching route applies)'
            cand --host 'With --policy --path: the request''s host'
            cand --method 'With --policy --path: the request''s method'
            cand -o 'Output format: JSON is one document on stdout, also on failure'
            cand --output 'Output format: JSON is one document on stdout, also on failure'
            cand --color 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured'
            cand --timeout 'Seconds allowed for each HTTP request (connect, TLS, headers and body)'
            cand --ca-file 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too'
            cand --cache-dir 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]'
            cand --issuer-from-token 'Discover keys from the token''s own `iss`. Proves the token is consistent with that issuer, NOT that you should trust the issuer'
            cand --any-audience 'Accept any audience (required when no --audience is given)'
            cand --no-require-exp 'Accept tokens without `exp` (they never expire: think twice)'
            cand --github-summary 'In GitHub Actions: append the checks and claims to $GITHUB_STEP_SUMMARY'
            cand -q 'Print nothing on success; only the reason on failure (stderr)'
            cand --quiet 'Print nothing on success; only the reason on failure (stderr)'
            cand -v 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --verbose 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --allow-http 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
            cand --no-cache 'Neither read nor write the disk cache'
            cand --offline 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oidcat;token'= {
            cand --audience 'The audience to request (`aud` of the token)'
            cand -o 'Output format: JSON is one document on stdout, also on failure'
            cand --output 'Output format: JSON is one document on stdout, also on failure'
            cand --color 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured'
            cand --timeout 'Seconds allowed for each HTTP request (connect, TLS, headers and body)'
            cand --ca-file 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too'
            cand --cache-dir 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]'
            cand -q 'Print nothing on success; only the reason on failure (stderr)'
            cand --quiet 'Print nothing on success; only the reason on failure (stderr)'
            cand -v 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --verbose 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --allow-http 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
            cand --no-cache 'Neither read nor write the disk cache'
            cand --offline 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oidcat;policy'= {
            cand -o 'Output format: JSON is one document on stdout, also on failure'
            cand --output 'Output format: JSON is one document on stdout, also on failure'
            cand --color 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured'
            cand --timeout 'Seconds allowed for each HTTP request (connect, TLS, headers and body)'
            cand --ca-file 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too'
            cand --cache-dir 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]'
            cand -q 'Print nothing on success; only the reason on failure (stderr)'
            cand --quiet 'Print nothing on success; only the reason on failure (stderr)'
            cand -v 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --verbose 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --allow-http 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
            cand --no-cache 'Neither read nor write the disk cache'
            cand --offline 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand check 'Read a policy file strictly and summarise it: exit 0 with warnings for risky settings, or exit 2 with FILE:LINE:COL for each problem'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oidcat;policy;check'= {
            cand -o 'Output format: JSON is one document on stdout, also on failure'
            cand --output 'Output format: JSON is one document on stdout, also on failure'
            cand --color 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured'
            cand --timeout 'Seconds allowed for each HTTP request (connect, TLS, headers and body)'
            cand --ca-file 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too'
            cand --cache-dir 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]'
            cand -q 'Print nothing on success; only the reason on failure (stderr)'
            cand --quiet 'Print nothing on success; only the reason on failure (stderr)'
            cand -v 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --verbose 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --allow-http 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
            cand --no-cache 'Neither read nor write the disk cache'
            cand --offline 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'oidcat;policy;help'= {
            cand check 'Read a policy file strictly and summarise it: exit 0 with warnings for risky settings, or exit 2 with FILE:LINE:COL for each problem'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oidcat;policy;help;check'= {
        }
        &'oidcat;policy;help;help'= {
        }
        &'oidcat;sign'= {
            cand --key 'Private key: PEM (PKCS#8, RSA or EC) or JWK (`oidcat keygen`)'
            cand --alg 'Algorithm [default: the JWK''s `alg`, else RS256, ES256/384/512, ES256K, EdDSA, ML-DSA-* or HS256 by key type]'
            cand --kid 'Header `kid` [default: the JWK''s `kid`; none for a PEM key]'
            cand --iss '`iss` claim'
            cand --aud '`aud` claim (repeat for an array)'
            cand --sub '`sub` claim'
            cand --exp-in 'Lifetime: `exp` = now + DURATION (`90`, `90s`, `15m`, `2h`, `7d`; at most 3650d)'
            cand --claim 'A claim, NAME=VALUE; VALUE is JSON when it parses as JSON, else a string. Repeatable'
            cand -o 'Output format: JSON is one document on stdout, also on failure'
            cand --output 'Output format: JSON is one document on stdout, also on failure'
            cand --color 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured'
            cand --timeout 'Seconds allowed for each HTTP request (connect, TLS, headers and body)'
            cand --ca-file 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too'
            cand --cache-dir 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]'
            cand -q 'Print nothing on success; only the reason on failure (stderr)'
            cand --quiet 'Print nothing on success; only the reason on failure (stderr)'
            cand -v 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --verbose 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --allow-http 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
            cand --no-cache 'Neither read nor write the disk cache'
            cand --offline 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oidcat;keygen'= {
            cand --alg 'Algorithm of the new key (RS*, PS*, ES256/384/512, ES256K, EdDSA, ML-DSA-44/65/87, HS*)'
            cand --kid '`kid` of the new key [default: its RFC 7638 thumbprint]'
            cand --public 'Print the public key set (JWKS) of this private JWK instead'
            cand -o 'Output format: JSON is one document on stdout, also on failure'
            cand --output 'Output format: JSON is one document on stdout, also on failure'
            cand --color 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured'
            cand --timeout 'Seconds allowed for each HTTP request (connect, TLS, headers and body)'
            cand --ca-file 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too'
            cand --cache-dir 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]'
            cand -q 'Print nothing on success; only the reason on failure (stderr)'
            cand --quiet 'Print nothing on success; only the reason on failure (stderr)'
            cand -v 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --verbose 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --allow-http 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
            cand --no-cache 'Neither read nor write the disk cache'
            cand --offline 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oidcat;completions'= {
            cand -o 'Output format: JSON is one document on stdout, also on failure'
            cand --output 'Output format: JSON is one document on stdout, also on failure'
            cand --color 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured'
            cand --timeout 'Seconds allowed for each HTTP request (connect, TLS, headers and body)'
            cand --ca-file 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too'
            cand --cache-dir 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]'
            cand -q 'Print nothing on success; only the reason on failure (stderr)'
            cand --quiet 'Print nothing on success; only the reason on failure (stderr)'
            cand -v 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --verbose 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --allow-http 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
            cand --no-cache 'Neither read nor write the disk cache'
            cand --offline 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oidcat;man'= {
            cand -o 'Output format: JSON is one document on stdout, also on failure'
            cand --output 'Output format: JSON is one document on stdout, also on failure'
            cand --color 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured'
            cand --timeout 'Seconds allowed for each HTTP request (connect, TLS, headers and body)'
            cand --ca-file 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too'
            cand --cache-dir 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]'
            cand -q 'Print nothing on success; only the reason on failure (stderr)'
            cand --quiet 'Print nothing on success; only the reason on failure (stderr)'
            cand -v 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --verbose 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --allow-http 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
            cand --no-cache 'Neither read nor write the disk cache'
            cand --offline 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oidcat;serve'= {
            cand --issuer 'Issuer URL or preset (github, gitlab, google): keys via discovery, and `iss` must equal it'
            cand --iss 'Issuer URL or preset (github, gitlab, google): keys via discovery, and `iss` must equal it'
            cand --jwks-uri 'Key set URL (skips discovery)'
            cand --jwks-file 'Key set file (JWKS JSON)'
            cand --key 'One public key: PEM (SPKI or RSA PUBLIC KEY), an X.509 certificate, or a JWK'
            cand --secret-file 'HMAC secret file (raw bytes). Only then are HS256/HS384/HS512 allowed'
            cand --secret-env 'HMAC secret from this environment variable'
            cand --audience 'Accepted audience (repeatable): the token''s `aud` must hold one of them'
            cand --aud 'Accepted audience (repeatable): the token''s `aud` must hold one of them'
            cand --alg 'Allowed algorithm (repeatable) [default: RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 ES256K EdDSA; HS* only with a secret; ML-DSA-44/65/87 only when named]. `none` is never accepted'
            cand --claim 'Claim assertion: NAME=VALUE, NAME!=VALUE, NAME~GLOB, NAME!~GLOB (repeatable). GLOB: `*` any run (also `/`), `?` one character; anchored. Dotted NAME reaches into objects. A missing claim fails all four'
            cand --require 'The claim must be present (repeatable)'
            cand --assert 'jq expression over the claims (`$header` is the header); holds when it yields only `true` (repeatable)'
            cand --leeway 'Clock skew allowed on exp, nbf and iat, in seconds (at most 600)'
            cand --typ 'Required header `typ` (case-insensitive; `application/` optional), e.g. at+jwt'
            cand --max-age 'Reject tokens whose `iat` is older than this many seconds (requires iat)'
            cand --repo 'The repository: GitHub `repository`, GitLab `project_path` (OWNER/NAME)'
            cand --ref 'The ref: GitHub `ref`, a full ref (refs/heads/main); GitLab `ref`, a branch or tag name (main)'
            cand --workflow 'The workflow: GitHub `job_workflow_ref` (OWNER/REPO/.github/workflows/FILE@REF); GitLab `ci_config_ref_uri`'
            cand --environment 'The deployment environment: `environment` (absent on a job without one)'
            cand --event 'The event that started the run: GitHub `event_name`, GitLab `pipeline_source`'
            cand --listen 'Address to listen on: HOST:PORT, an IP address or a host name (`0.0.0.0:8080` in a container, `[::1]:8080`, `localhost:8080`)'
            cand --forward-claim 'Forward this claim as X-Auth-Request-Claim-<Name> on 200 (repeatable; dotted paths allowed)'
            cand --workers 'Worker threads of the server runtime'
            cand --max-connections 'Most connections served at once; more wait in the accept queue'
            cand --header-timeout 'Seconds a client may take to send a request''s headers, counted from connecting or from its previous answer: slow and idle connections are closed after it'
            cand --policy 'Serve every issuer and route of this policy file (docs/policy.md) instead of the key-source and check flags; reloaded on SIGHUP and when it changes'
            cand --cache-verified 'Cache this many verified tokens (keyed by a SHA-256 of the whole token) until their exp or the next key-set change. 0 = off'
            cand -o 'Output format: JSON is one document on stdout, also on failure'
            cand --output 'Output format: JSON is one document on stdout, also on failure'
            cand --color 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured'
            cand --timeout 'Seconds allowed for each HTTP request (connect, TLS, headers and body)'
            cand --ca-file 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too'
            cand --cache-dir 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]'
            cand --any-audience 'Accept any audience (required when no --audience is given)'
            cand --no-require-exp 'Accept tokens without `exp` (they never expire: think twice)'
            cand -q 'Print nothing on success; only the reason on failure (stderr)'
            cand --quiet 'Print nothing on success; only the reason on failure (stderr)'
            cand -v 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --verbose 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
            cand --allow-http 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
            cand --no-cache 'Neither read nor write the disk cache'
            cand --offline 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oidcat;help'= {
            cand discover 'Fetch and check an issuer''s discovery document'
            cand jwks 'List an issuer''s signing keys with thumbprints, certificate details and warnings'
            cand decode 'Show a token''s header and claims. Does NOT verify anything'
            cand verify 'Verify a token: signature, issuer, audience, time, and your assertions'
            cand token 'Print this GitHub Actions job''s OIDC token (needs `permissions: id-token: write`)'
            cand policy 'Check a policy file (several issuers, per-route rules) without any network access'
            cand sign 'Sign a JWT, for tests: prints a token made with your private key'
            cand keygen 'Make a private key for tests (`oidcat sign`), or print a key''s public JWKS'
            cand completions 'Print a shell completion script'
            cand man 'Print a man page (roff): oidcat(1), or oidcat-SUBCOMMAND(1)'
            cand serve 'Answer "is this bearer token good?" over HTTP, for gateways'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oidcat;help;discover'= {
        }
        &'oidcat;help;jwks'= {
        }
        &'oidcat;help;decode'= {
        }
        &'oidcat;help;verify'= {
        }
        &'oidcat;help;token'= {
        }
        &'oidcat;help;policy'= {
            cand check 'Read a policy file strictly and summarise it: exit 0 with warnings for risky settings, or exit 2 with FILE:LINE:COL for each problem'
        }
        &'oidcat;help;policy;check'= {
        }
        &'oidcat;help;sign'= {
        }
        &'oidcat;help;keygen'= {
        }
        &'oidcat;help;completions'= {
        }
        &'oidcat;help;man'= {
        }
        &'oidcat;help;serve'= {
        }
        &'oidcat;help;help'= {
        }
    ]
    $completions[$command]
}
