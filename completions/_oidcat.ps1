
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'oidcat' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'oidcat'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'oidcat' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds allowed for each HTTP request (connect, TLS, headers and body)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the disk cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('discover', 'discover', [CompletionResultType]::ParameterValue, 'Fetch and check an issuer''s discovery document')
            [CompletionResult]::new('jwks', 'jwks', [CompletionResultType]::ParameterValue, 'List an issuer''s signing keys with thumbprints, certificate details and warnings')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Show a token''s header and claims. Does NOT verify anything')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify a token: signature, issuer, audience, time, and your assertions')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print this GitHub Actions job''s OIDC token (needs `permissions: id-token: write`)')
            [CompletionResult]::new('policy', 'policy', [CompletionResultType]::ParameterValue, 'Check a policy file (several issuers, per-route rules) without any network access')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Sign a JWT, for tests: prints a token made with your private key')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Make a private key for tests (`oidcat sign`), or print a key''s public JWKS')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print a man page (roff): oidcat(1), or oidcat-SUBCOMMAND(1)')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Answer "is this bearer token good?" over HTTP, for gateways')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oidcat;discover' {
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Check a saved discovery document offline (its own `issuer` is expected unless --issuer names one)')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'With --file: the issuer the document must name (URL or preset)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds allowed for each HTTP request (connect, TLS, headers and body)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Print the document exactly as fetched')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the disk cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oidcat;jwks' {
            [CompletionResult]::new('--jwks-uri', '--jwks-uri', [CompletionResultType]::ParameterName, 'Fetch the key set from this URL')
            [CompletionResult]::new('--jwks-file', '--jwks-file', [CompletionResultType]::ParameterName, 'Read the key set from a file (`--file` is an alias)')
            [CompletionResult]::new('--pem', '--pem', [CompletionResultType]::ParameterName, 'Print the public keys as SPKI PEM (only the key with this kid, if given)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds allowed for each HTTP request (connect, TLS, headers and body)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the disk cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oidcat;decode' {
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'The clock for relative times: Unix seconds or RFC 3339')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds allowed for each HTTP request (connect, TLS, headers and body)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Print only the header, as JSON')
            [CompletionResult]::new('--claims', '--claims', [CompletionResultType]::ParameterName, 'Print only the claims, as JSON (for jq)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the disk cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oidcat;verify' {
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Issuer URL or preset (github, gitlab, google): keys via discovery, and `iss` must equal it')
            [CompletionResult]::new('--iss', '--iss', [CompletionResultType]::ParameterName, 'Issuer URL or preset (github, gitlab, google): keys via discovery, and `iss` must equal it')
            [CompletionResult]::new('--jwks-uri', '--jwks-uri', [CompletionResultType]::ParameterName, 'Key set URL (skips discovery)')
            [CompletionResult]::new('--jwks-file', '--jwks-file', [CompletionResultType]::ParameterName, 'Key set file (JWKS JSON)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'One public key: PEM (SPKI or RSA PUBLIC KEY), an X.509 certificate, or a JWK')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'HMAC secret file (raw bytes). Only then are HS256/HS384/HS512 allowed')
            [CompletionResult]::new('--secret-env', '--secret-env', [CompletionResultType]::ParameterName, 'HMAC secret from this environment variable')
            [CompletionResult]::new('--audience', '--audience', [CompletionResultType]::ParameterName, 'Accepted audience (repeatable): the token''s `aud` must hold one of them')
            [CompletionResult]::new('--aud', '--aud', [CompletionResultType]::ParameterName, 'Accepted audience (repeatable): the token''s `aud` must hold one of them')
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'Allowed algorithm (repeatable) [default: RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 ES256K EdDSA; HS* only with a secret; ML-DSA-44/65/87 only when named]. `none` is never accepted')
            [CompletionResult]::new('--claim', '--claim', [CompletionResultType]::ParameterName, 'Claim assertion: NAME=VALUE, NAME!=VALUE, NAME~GLOB, NAME!~GLOB (repeatable). GLOB: `*` any run (also `/`), `?` one character; anchored. Dotted NAME reaches into objects. A missing claim fails all four')
            [CompletionResult]::new('--require', '--require', [CompletionResultType]::ParameterName, 'The claim must be present (repeatable)')
            [CompletionResult]::new('--assert', '--assert', [CompletionResultType]::ParameterName, 'jq expression over the claims (`$header` is the header); holds when it yields only `true` (repeatable)')
            [CompletionResult]::new('--leeway', '--leeway', [CompletionResultType]::ParameterName, 'Clock skew allowed on exp, nbf and iat, in seconds (at most 600)')
            [CompletionResult]::new('--typ', '--typ', [CompletionResultType]::ParameterName, 'Required header `typ` (case-insensitive; `application/` optional), e.g. at+jwt')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Reject tokens whose `iat` is older than this many seconds (requires iat)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository: GitHub `repository`, GitLab `project_path` (OWNER/NAME)')
            [CompletionResult]::new('--ref', '--ref', [CompletionResultType]::ParameterName, 'The ref: GitHub `ref`, a full ref (refs/heads/main); GitLab `ref`, a branch or tag name (main)')
            [CompletionResult]::new('--workflow', '--workflow', [CompletionResultType]::ParameterName, 'The workflow: GitHub `job_workflow_ref` (OWNER/REPO/.github/workflows/FILE@REF); GitLab `ci_config_ref_uri`')
            [CompletionResult]::new('--environment', '--environment', [CompletionResultType]::ParameterName, 'The deployment environment: `environment` (absent on a job without one)')
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'The event that started the run: GitHub `event_name`, GitLab `pipeline_source`')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Evaluate time claims at this instant (Unix seconds or RFC 3339)')
            [CompletionResult]::new('--github-output', '--github-output', [CompletionResultType]::ParameterName, 'In GitHub Actions: write this claim of a valid token to $GITHUB_OUTPUT (repeatable)')
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'Decide with this policy file (issuers, keys and routes; docs/policy.md) instead of the key-source and check flags')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'With --policy: the request path to decide for (the first matching route applies)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'With --policy --path: the request''s host')
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'With --policy --path: the request''s method')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds allowed for each HTTP request (connect, TLS, headers and body)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]')
            [CompletionResult]::new('--issuer-from-token', '--issuer-from-token', [CompletionResultType]::ParameterName, 'Discover keys from the token''s own `iss`. Proves the token is consistent with that issuer, NOT that you should trust the issuer')
            [CompletionResult]::new('--any-audience', '--any-audience', [CompletionResultType]::ParameterName, 'Accept any audience (required when no --audience is given)')
            [CompletionResult]::new('--no-require-exp', '--no-require-exp', [CompletionResultType]::ParameterName, 'Accept tokens without `exp` (they never expire: think twice)')
            [CompletionResult]::new('--github-summary', '--github-summary', [CompletionResultType]::ParameterName, 'In GitHub Actions: append the checks and claims to $GITHUB_STEP_SUMMARY')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the disk cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oidcat;token' {
            [CompletionResult]::new('--audience', '--audience', [CompletionResultType]::ParameterName, 'The audience to request (`aud` of the token)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds allowed for each HTTP request (connect, TLS, headers and body)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the disk cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oidcat;policy' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds allowed for each HTTP request (connect, TLS, headers and body)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the disk cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Read a policy file strictly and summarise it: exit 0 with warnings for risky settings, or exit 2 with FILE:LINE:COL for each problem')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oidcat;policy;check' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds allowed for each HTTP request (connect, TLS, headers and body)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the disk cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oidcat;policy;help' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Read a policy file strictly and summarise it: exit 0 with warnings for risky settings, or exit 2 with FILE:LINE:COL for each problem')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oidcat;policy;help;check' {
            break
        }
        'oidcat;policy;help;help' {
            break
        }
        'oidcat;sign' {
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Private key: PEM (PKCS#8, RSA or EC) or JWK (`oidcat keygen`)')
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'Algorithm [default: the JWK''s `alg`, else RS256, ES256/384/512, ES256K, EdDSA, ML-DSA-* or HS256 by key type]')
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'Header `kid` [default: the JWK''s `kid`; none for a PEM key]')
            [CompletionResult]::new('--iss', '--iss', [CompletionResultType]::ParameterName, '`iss` claim')
            [CompletionResult]::new('--aud', '--aud', [CompletionResultType]::ParameterName, '`aud` claim (repeat for an array)')
            [CompletionResult]::new('--sub', '--sub', [CompletionResultType]::ParameterName, '`sub` claim')
            [CompletionResult]::new('--exp-in', '--exp-in', [CompletionResultType]::ParameterName, 'Lifetime: `exp` = now + DURATION (`90`, `90s`, `15m`, `2h`, `7d`; at most 3650d)')
            [CompletionResult]::new('--claim', '--claim', [CompletionResultType]::ParameterName, 'A claim, NAME=VALUE; VALUE is JSON when it parses as JSON, else a string. Repeatable')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds allowed for each HTTP request (connect, TLS, headers and body)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the disk cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oidcat;keygen' {
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'Algorithm of the new key (RS*, PS*, ES256/384/512, ES256K, EdDSA, ML-DSA-44/65/87, HS*)')
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, '`kid` of the new key [default: its RFC 7638 thumbprint]')
            [CompletionResult]::new('--public', '--public', [CompletionResultType]::ParameterName, 'Print the public key set (JWKS) of this private JWK instead')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds allowed for each HTTP request (connect, TLS, headers and body)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the disk cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oidcat;completions' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds allowed for each HTTP request (connect, TLS, headers and body)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the disk cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oidcat;man' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds allowed for each HTTP request (connect, TLS, headers and body)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the disk cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oidcat;serve' {
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Issuer URL or preset (github, gitlab, google): keys via discovery, and `iss` must equal it')
            [CompletionResult]::new('--iss', '--iss', [CompletionResultType]::ParameterName, 'Issuer URL or preset (github, gitlab, google): keys via discovery, and `iss` must equal it')
            [CompletionResult]::new('--jwks-uri', '--jwks-uri', [CompletionResultType]::ParameterName, 'Key set URL (skips discovery)')
            [CompletionResult]::new('--jwks-file', '--jwks-file', [CompletionResultType]::ParameterName, 'Key set file (JWKS JSON)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'One public key: PEM (SPKI or RSA PUBLIC KEY), an X.509 certificate, or a JWK')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'HMAC secret file (raw bytes). Only then are HS256/HS384/HS512 allowed')
            [CompletionResult]::new('--secret-env', '--secret-env', [CompletionResultType]::ParameterName, 'HMAC secret from this environment variable')
            [CompletionResult]::new('--audience', '--audience', [CompletionResultType]::ParameterName, 'Accepted audience (repeatable): the token''s `aud` must hold one of them')
            [CompletionResult]::new('--aud', '--aud', [CompletionResultType]::ParameterName, 'Accepted audience (repeatable): the token''s `aud` must hold one of them')
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'Allowed algorithm (repeatable) [default: RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 ES256K EdDSA; HS* only with a secret; ML-DSA-44/65/87 only when named]. `none` is never accepted')
            [CompletionResult]::new('--claim', '--claim', [CompletionResultType]::ParameterName, 'Claim assertion: NAME=VALUE, NAME!=VALUE, NAME~GLOB, NAME!~GLOB (repeatable). GLOB: `*` any run (also `/`), `?` one character; anchored. Dotted NAME reaches into objects. A missing claim fails all four')
            [CompletionResult]::new('--require', '--require', [CompletionResultType]::ParameterName, 'The claim must be present (repeatable)')
            [CompletionResult]::new('--assert', '--assert', [CompletionResultType]::ParameterName, 'jq expression over the claims (`$header` is the header); holds when it yields only `true` (repeatable)')
            [CompletionResult]::new('--leeway', '--leeway', [CompletionResultType]::ParameterName, 'Clock skew allowed on exp, nbf and iat, in seconds (at most 600)')
            [CompletionResult]::new('--typ', '--typ', [CompletionResultType]::ParameterName, 'Required header `typ` (case-insensitive; `application/` optional), e.g. at+jwt')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Reject tokens whose `iat` is older than this many seconds (requires iat)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository: GitHub `repository`, GitLab `project_path` (OWNER/NAME)')
            [CompletionResult]::new('--ref', '--ref', [CompletionResultType]::ParameterName, 'The ref: GitHub `ref`, a full ref (refs/heads/main); GitLab `ref`, a branch or tag name (main)')
            [CompletionResult]::new('--workflow', '--workflow', [CompletionResultType]::ParameterName, 'The workflow: GitHub `job_workflow_ref` (OWNER/REPO/.github/workflows/FILE@REF); GitLab `ci_config_ref_uri`')
            [CompletionResult]::new('--environment', '--environment', [CompletionResultType]::ParameterName, 'The deployment environment: `environment` (absent on a job without one)')
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'The event that started the run: GitHub `event_name`, GitLab `pipeline_source`')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on: HOST:PORT, an IP address or a host name (`0.0.0.0:8080` in a container, `[::1]:8080`, `localhost:8080`)')
            [CompletionResult]::new('--forward-claim', '--forward-claim', [CompletionResultType]::ParameterName, 'Forward this claim as X-Auth-Request-Claim-<Name> on 200 (repeatable; dotted paths allowed)')
            [CompletionResult]::new('--workers', '--workers', [CompletionResultType]::ParameterName, 'Worker threads of the server runtime')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Most connections served at once; more wait in the accept queue')
            [CompletionResult]::new('--header-timeout', '--header-timeout', [CompletionResultType]::ParameterName, 'Seconds a client may take to send a request''s headers, counted from connecting or from its previous answer: slow and idle connections are closed after it')
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'Serve every issuer and route of this policy file (docs/policy.md) instead of the key-source and check flags; reloaded on SIGHUP and when it changes')
            [CompletionResult]::new('--cache-verified', '--cache-verified', [CompletionResultType]::ParameterName, 'Cache this many verified tokens (keyed by a SHA-256 of the whole token) until their exp or the next key-set change. 0 = off')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: JSON is one document on stdout, also on failure')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds allowed for each HTTP request (connect, TLS, headers and body)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]')
            [CompletionResult]::new('--any-audience', '--any-audience', [CompletionResultType]::ParameterName, 'Accept any audience (required when no --audience is given)')
            [CompletionResult]::new('--no-require-exp', '--no-require-exp', [CompletionResultType]::ParameterName, 'Accept tokens without `exp` (they never expire: think twice)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on success; only the reason on failure (stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the disk cache')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oidcat;help' {
            [CompletionResult]::new('discover', 'discover', [CompletionResultType]::ParameterValue, 'Fetch and check an issuer''s discovery document')
            [CompletionResult]::new('jwks', 'jwks', [CompletionResultType]::ParameterValue, 'List an issuer''s signing keys with thumbprints, certificate details and warnings')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Show a token''s header and claims. Does NOT verify anything')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify a token: signature, issuer, audience, time, and your assertions')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print this GitHub Actions job''s OIDC token (needs `permissions: id-token: write`)')
            [CompletionResult]::new('policy', 'policy', [CompletionResultType]::ParameterValue, 'Check a policy file (several issuers, per-route rules) without any network access')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Sign a JWT, for tests: prints a token made with your private key')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Make a private key for tests (`oidcat sign`), or print a key''s public JWKS')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print a man page (roff): oidcat(1), or oidcat-SUBCOMMAND(1)')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Answer "is this bearer token good?" over HTTP, for gateways')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oidcat;help;discover' {
            break
        }
        'oidcat;help;jwks' {
            break
        }
        'oidcat;help;decode' {
            break
        }
        'oidcat;help;verify' {
            break
        }
        'oidcat;help;token' {
            break
        }
        'oidcat;help;policy' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Read a policy file strictly and summarise it: exit 0 with warnings for risky settings, or exit 2 with FILE:LINE:COL for each problem')
            break
        }
        'oidcat;help;policy;check' {
            break
        }
        'oidcat;help;sign' {
            break
        }
        'oidcat;help;keygen' {
            break
        }
        'oidcat;help;completions' {
            break
        }
        'oidcat;help;man' {
            break
        }
        'oidcat;help;serve' {
            break
        }
        'oidcat;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
