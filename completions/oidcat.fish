# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_oidcat_global_optspecs
    string join \n o/output= color= q/quiet v/verbose timeout= ca-file= allow-http cache-dir= no-cache offline h/help V/version
end

function __fish_oidcat_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_oidcat_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_oidcat_using_subcommand
    set -l cmd (__fish_oidcat_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c oidcat -n "__fish_oidcat_needs_command" -s o -l output -d 'Output format: JSON is one document on stdout, also on failure' -r -f -a "text\t''
json\t''"
complete -c oidcat -n "__fish_oidcat_needs_command" -l color -d 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oidcat -n "__fish_oidcat_needs_command" -l timeout -d 'Seconds allowed for each HTTP request (connect, TLS, headers and body)' -r
complete -c oidcat -n "__fish_oidcat_needs_command" -l ca-file -d 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too' -r -F
complete -c oidcat -n "__fish_oidcat_needs_command" -l cache-dir -d 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]' -r -F
complete -c oidcat -n "__fish_oidcat_needs_command" -s q -l quiet -d 'Print nothing on success; only the reason on failure (stderr)'
complete -c oidcat -n "__fish_oidcat_needs_command" -s v -l verbose -d 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
complete -c oidcat -n "__fish_oidcat_needs_command" -l allow-http -d 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
complete -c oidcat -n "__fish_oidcat_needs_command" -l no-cache -d 'Neither read nor write the disk cache'
complete -c oidcat -n "__fish_oidcat_needs_command" -l offline -d 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
complete -c oidcat -n "__fish_oidcat_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oidcat -n "__fish_oidcat_needs_command" -s V -l version -d 'Print version'
complete -c oidcat -n "__fish_oidcat_needs_command" -f -a "discover" -d 'Fetch and check an issuer\'s discovery document'
complete -c oidcat -n "__fish_oidcat_needs_command" -f -a "jwks" -d 'List an issuer\'s signing keys with thumbprints, certificate details and warnings'
complete -c oidcat -n "__fish_oidcat_needs_command" -f -a "decode" -d 'Show a token\'s header and claims. Does NOT verify anything'
complete -c oidcat -n "__fish_oidcat_needs_command" -f -a "verify" -d 'Verify a token: signature, issuer, audience, time, and your assertions'
complete -c oidcat -n "__fish_oidcat_needs_command" -f -a "token" -d 'Print this GitHub Actions job\'s OIDC token (needs `permissions: id-token: write`)'
complete -c oidcat -n "__fish_oidcat_needs_command" -f -a "policy" -d 'Check a policy file (several issuers, per-route rules) without any network access'
complete -c oidcat -n "__fish_oidcat_needs_command" -f -a "sign" -d 'Sign a JWT, for tests: prints a token made with your private key'
complete -c oidcat -n "__fish_oidcat_needs_command" -f -a "keygen" -d 'Make a private key for tests (`oidcat sign`), or print a key\'s public JWKS'
complete -c oidcat -n "__fish_oidcat_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c oidcat -n "__fish_oidcat_needs_command" -f -a "man" -d 'Print a man page (roff): oidcat(1), or oidcat-SUBCOMMAND(1)'
complete -c oidcat -n "__fish_oidcat_needs_command" -f -a "serve" -d 'Answer "is this bearer token good?" over HTTP, for gateways'
complete -c oidcat -n "__fish_oidcat_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oidcat -n "__fish_oidcat_using_subcommand discover" -l file -d 'Check a saved discovery document offline (its own `issuer` is expected unless --issuer names one)' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand discover" -l issuer -d 'With --file: the issuer the document must name (URL or preset)' -r -f -a "github\t''
gitlab\t''
google\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand discover" -s o -l output -d 'Output format: JSON is one document on stdout, also on failure' -r -f -a "text\t''
json\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand discover" -l color -d 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand discover" -l timeout -d 'Seconds allowed for each HTTP request (connect, TLS, headers and body)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand discover" -l ca-file -d 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand discover" -l cache-dir -d 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand discover" -l raw -d 'Print the document exactly as fetched'
complete -c oidcat -n "__fish_oidcat_using_subcommand discover" -s q -l quiet -d 'Print nothing on success; only the reason on failure (stderr)'
complete -c oidcat -n "__fish_oidcat_using_subcommand discover" -s v -l verbose -d 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
complete -c oidcat -n "__fish_oidcat_using_subcommand discover" -l allow-http -d 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
complete -c oidcat -n "__fish_oidcat_using_subcommand discover" -l no-cache -d 'Neither read nor write the disk cache'
complete -c oidcat -n "__fish_oidcat_using_subcommand discover" -l offline -d 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
complete -c oidcat -n "__fish_oidcat_using_subcommand discover" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oidcat -n "__fish_oidcat_using_subcommand jwks" -l jwks-uri -d 'Fetch the key set from this URL' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand jwks" -l jwks-file -d 'Read the key set from a file (`--file` is an alias)' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand jwks" -l pem -d 'Print the public keys as SPKI PEM (only the key with this kid, if given)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand jwks" -s o -l output -d 'Output format: JSON is one document on stdout, also on failure' -r -f -a "text\t''
json\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand jwks" -l color -d 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand jwks" -l timeout -d 'Seconds allowed for each HTTP request (connect, TLS, headers and body)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand jwks" -l ca-file -d 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand jwks" -l cache-dir -d 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand jwks" -s q -l quiet -d 'Print nothing on success; only the reason on failure (stderr)'
complete -c oidcat -n "__fish_oidcat_using_subcommand jwks" -s v -l verbose -d 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
complete -c oidcat -n "__fish_oidcat_using_subcommand jwks" -l allow-http -d 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
complete -c oidcat -n "__fish_oidcat_using_subcommand jwks" -l no-cache -d 'Neither read nor write the disk cache'
complete -c oidcat -n "__fish_oidcat_using_subcommand jwks" -l offline -d 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
complete -c oidcat -n "__fish_oidcat_using_subcommand jwks" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oidcat -n "__fish_oidcat_using_subcommand decode" -l now -d 'The clock for relative times: Unix seconds or RFC 3339' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand decode" -s o -l output -d 'Output format: JSON is one document on stdout, also on failure' -r -f -a "text\t''
json\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand decode" -l color -d 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand decode" -l timeout -d 'Seconds allowed for each HTTP request (connect, TLS, headers and body)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand decode" -l ca-file -d 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand decode" -l cache-dir -d 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand decode" -l header -d 'Print only the header, as JSON'
complete -c oidcat -n "__fish_oidcat_using_subcommand decode" -l claims -d 'Print only the claims, as JSON (for jq)'
complete -c oidcat -n "__fish_oidcat_using_subcommand decode" -s q -l quiet -d 'Print nothing on success; only the reason on failure (stderr)'
complete -c oidcat -n "__fish_oidcat_using_subcommand decode" -s v -l verbose -d 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
complete -c oidcat -n "__fish_oidcat_using_subcommand decode" -l allow-http -d 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
complete -c oidcat -n "__fish_oidcat_using_subcommand decode" -l no-cache -d 'Neither read nor write the disk cache'
complete -c oidcat -n "__fish_oidcat_using_subcommand decode" -l offline -d 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
complete -c oidcat -n "__fish_oidcat_using_subcommand decode" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l issuer -l iss -d 'Issuer URL or preset (github, gitlab, google): keys via discovery, and `iss` must equal it' -r -f -a "github\t''
gitlab\t''
google\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l jwks-uri -d 'Key set URL (skips discovery)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l jwks-file -d 'Key set file (JWKS JSON)' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l key -d 'One public key: PEM (SPKI or RSA PUBLIC KEY), an X.509 certificate, or a JWK' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l secret-file -d 'HMAC secret file (raw bytes). Only then are HS256/HS384/HS512 allowed' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l secret-env -d 'HMAC secret from this environment variable' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l audience -l aud -d 'Accepted audience (repeatable): the token\'s `aud` must hold one of them' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l alg -d 'Allowed algorithm (repeatable) [default: RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 ES256K EdDSA; HS* only with a secret; ML-DSA-44/65/87 only when named]. `none` is never accepted' -r -f -a "HS256\t''
HS384\t''
HS512\t''
RS256\t''
RS384\t''
RS512\t''
PS256\t''
PS384\t''
PS512\t''
ES256\t''
ES384\t''
EdDSA\t''
ES512\t''
ES256K\t''
ML-DSA-44\t''
ML-DSA-65\t''
ML-DSA-87\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l claim -d 'Claim assertion: NAME=VALUE, NAME!=VALUE, NAME~GLOB, NAME!~GLOB (repeatable). GLOB: `*` any run (also `/`), `?` one character; anchored. Dotted NAME reaches into objects. A missing claim fails all four' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l require -d 'The claim must be present (repeatable)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l assert -d 'jq expression over the claims (`$header` is the header); holds when it yields only `true` (repeatable)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l leeway -d 'Clock skew allowed on exp, nbf and iat, in seconds (at most 600)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l typ -d 'Required header `typ` (case-insensitive; `application/` optional), e.g. at+jwt' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l max-age -d 'Reject tokens whose `iat` is older than this many seconds (requires iat)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l repo -d 'The repository: GitHub `repository`, GitLab `project_path` (OWNER/NAME)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l ref -d 'The ref: GitHub `ref`, a full ref (refs/heads/main); GitLab `ref`, a branch or tag name (main)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l workflow -d 'The workflow: GitHub `job_workflow_ref` (OWNER/REPO/.github/workflows/FILE@REF); GitLab `ci_config_ref_uri`' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l environment -d 'The deployment environment: `environment` (absent on a job without one)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l event -d 'The event that started the run: GitHub `event_name`, GitLab `pipeline_source`' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l now -d 'Evaluate time claims at this instant (Unix seconds or RFC 3339)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l github-output -d 'In GitHub Actions: write this claim of a valid token to $GITHUB_OUTPUT (repeatable)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l policy -d 'Decide with this policy file (issuers, keys and routes; docs/policy.md) instead of the key-source and check flags' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l path -d 'With --policy: the request path to decide for (the first matching route applies)' -r
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l host -d 'With --policy --path: the request\'s host' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l method -d 'With --policy --path: the request\'s method' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -s o -l output -d 'Output format: JSON is one document on stdout, also on failure' -r -f -a "text\t''
json\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l color -d 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l timeout -d 'Seconds allowed for each HTTP request (connect, TLS, headers and body)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l ca-file -d 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l cache-dir -d 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l issuer-from-token -d 'Discover keys from the token\'s own `iss`. Proves the token is consistent with that issuer, NOT that you should trust the issuer'
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l any-audience -d 'Accept any audience (required when no --audience is given)'
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l no-require-exp -d 'Accept tokens without `exp` (they never expire: think twice)'
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l github-summary -d 'In GitHub Actions: append the checks and claims to $GITHUB_STEP_SUMMARY'
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -s q -l quiet -d 'Print nothing on success; only the reason on failure (stderr)'
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -s v -l verbose -d 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l allow-http -d 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l no-cache -d 'Neither read nor write the disk cache'
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -l offline -d 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
complete -c oidcat -n "__fish_oidcat_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oidcat -n "__fish_oidcat_using_subcommand token" -l audience -d 'The audience to request (`aud` of the token)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand token" -s o -l output -d 'Output format: JSON is one document on stdout, also on failure' -r -f -a "text\t''
json\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand token" -l color -d 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand token" -l timeout -d 'Seconds allowed for each HTTP request (connect, TLS, headers and body)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand token" -l ca-file -d 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand token" -l cache-dir -d 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand token" -s q -l quiet -d 'Print nothing on success; only the reason on failure (stderr)'
complete -c oidcat -n "__fish_oidcat_using_subcommand token" -s v -l verbose -d 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
complete -c oidcat -n "__fish_oidcat_using_subcommand token" -l allow-http -d 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
complete -c oidcat -n "__fish_oidcat_using_subcommand token" -l no-cache -d 'Neither read nor write the disk cache'
complete -c oidcat -n "__fish_oidcat_using_subcommand token" -l offline -d 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
complete -c oidcat -n "__fish_oidcat_using_subcommand token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and not __fish_seen_subcommand_from check help" -s o -l output -d 'Output format: JSON is one document on stdout, also on failure' -r -f -a "text\t''
json\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and not __fish_seen_subcommand_from check help" -l color -d 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and not __fish_seen_subcommand_from check help" -l timeout -d 'Seconds allowed for each HTTP request (connect, TLS, headers and body)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and not __fish_seen_subcommand_from check help" -l ca-file -d 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and not __fish_seen_subcommand_from check help" -l cache-dir -d 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and not __fish_seen_subcommand_from check help" -s q -l quiet -d 'Print nothing on success; only the reason on failure (stderr)'
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and not __fish_seen_subcommand_from check help" -s v -l verbose -d 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and not __fish_seen_subcommand_from check help" -l allow-http -d 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and not __fish_seen_subcommand_from check help" -l no-cache -d 'Neither read nor write the disk cache'
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and not __fish_seen_subcommand_from check help" -l offline -d 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and not __fish_seen_subcommand_from check help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and not __fish_seen_subcommand_from check help" -f -a "check" -d 'Read a policy file strictly and summarise it: exit 0 with warnings for risky settings, or exit 2 with FILE:LINE:COL for each problem'
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and not __fish_seen_subcommand_from check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and __fish_seen_subcommand_from check" -s o -l output -d 'Output format: JSON is one document on stdout, also on failure' -r -f -a "text\t''
json\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and __fish_seen_subcommand_from check" -l color -d 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and __fish_seen_subcommand_from check" -l timeout -d 'Seconds allowed for each HTTP request (connect, TLS, headers and body)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and __fish_seen_subcommand_from check" -l ca-file -d 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and __fish_seen_subcommand_from check" -l cache-dir -d 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Print nothing on success; only the reason on failure (stderr)'
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and __fish_seen_subcommand_from check" -s v -l verbose -d 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and __fish_seen_subcommand_from check" -l allow-http -d 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and __fish_seen_subcommand_from check" -l no-cache -d 'Neither read nor write the disk cache'
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and __fish_seen_subcommand_from check" -l offline -d 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "check" -d 'Read a policy file strictly and summarise it: exit 0 with warnings for risky settings, or exit 2 with FILE:LINE:COL for each problem'
complete -c oidcat -n "__fish_oidcat_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oidcat -n "__fish_oidcat_using_subcommand sign" -l key -d 'Private key: PEM (PKCS#8, RSA or EC) or JWK (`oidcat keygen`)' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand sign" -l alg -d 'Algorithm [default: the JWK\'s `alg`, else RS256, ES256/384/512, ES256K, EdDSA, ML-DSA-* or HS256 by key type]' -r -f -a "HS256\t''
HS384\t''
HS512\t''
RS256\t''
RS384\t''
RS512\t''
PS256\t''
PS384\t''
PS512\t''
ES256\t''
ES384\t''
EdDSA\t''
ES512\t''
ES256K\t''
ML-DSA-44\t''
ML-DSA-65\t''
ML-DSA-87\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand sign" -l kid -d 'Header `kid` [default: the JWK\'s `kid`; none for a PEM key]' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand sign" -l iss -d '`iss` claim' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand sign" -l aud -d '`aud` claim (repeat for an array)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand sign" -l sub -d '`sub` claim' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand sign" -l exp-in -d 'Lifetime: `exp` = now + DURATION (`90`, `90s`, `15m`, `2h`, `7d`; at most 3650d)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand sign" -l claim -d 'A claim, NAME=VALUE; VALUE is JSON when it parses as JSON, else a string. Repeatable' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand sign" -s o -l output -d 'Output format: JSON is one document on stdout, also on failure' -r -f -a "text\t''
json\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand sign" -l color -d 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand sign" -l timeout -d 'Seconds allowed for each HTTP request (connect, TLS, headers and body)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand sign" -l ca-file -d 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand sign" -l cache-dir -d 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand sign" -s q -l quiet -d 'Print nothing on success; only the reason on failure (stderr)'
complete -c oidcat -n "__fish_oidcat_using_subcommand sign" -s v -l verbose -d 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
complete -c oidcat -n "__fish_oidcat_using_subcommand sign" -l allow-http -d 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
complete -c oidcat -n "__fish_oidcat_using_subcommand sign" -l no-cache -d 'Neither read nor write the disk cache'
complete -c oidcat -n "__fish_oidcat_using_subcommand sign" -l offline -d 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
complete -c oidcat -n "__fish_oidcat_using_subcommand sign" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oidcat -n "__fish_oidcat_using_subcommand keygen" -l alg -d 'Algorithm of the new key (RS*, PS*, ES256/384/512, ES256K, EdDSA, ML-DSA-44/65/87, HS*)' -r -f -a "HS256\t''
HS384\t''
HS512\t''
RS256\t''
RS384\t''
RS512\t''
PS256\t''
PS384\t''
PS512\t''
ES256\t''
ES384\t''
EdDSA\t''
ES512\t''
ES256K\t''
ML-DSA-44\t''
ML-DSA-65\t''
ML-DSA-87\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand keygen" -l kid -d '`kid` of the new key [default: its RFC 7638 thumbprint]' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand keygen" -l public -d 'Print the public key set (JWKS) of this private JWK instead' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand keygen" -s o -l output -d 'Output format: JSON is one document on stdout, also on failure' -r -f -a "text\t''
json\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand keygen" -l color -d 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand keygen" -l timeout -d 'Seconds allowed for each HTTP request (connect, TLS, headers and body)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand keygen" -l ca-file -d 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand keygen" -l cache-dir -d 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand keygen" -s q -l quiet -d 'Print nothing on success; only the reason on failure (stderr)'
complete -c oidcat -n "__fish_oidcat_using_subcommand keygen" -s v -l verbose -d 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
complete -c oidcat -n "__fish_oidcat_using_subcommand keygen" -l allow-http -d 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
complete -c oidcat -n "__fish_oidcat_using_subcommand keygen" -l no-cache -d 'Neither read nor write the disk cache'
complete -c oidcat -n "__fish_oidcat_using_subcommand keygen" -l offline -d 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
complete -c oidcat -n "__fish_oidcat_using_subcommand keygen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oidcat -n "__fish_oidcat_using_subcommand completions" -s o -l output -d 'Output format: JSON is one document on stdout, also on failure' -r -f -a "text\t''
json\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand completions" -l color -d 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand completions" -l timeout -d 'Seconds allowed for each HTTP request (connect, TLS, headers and body)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand completions" -l ca-file -d 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand completions" -l cache-dir -d 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand completions" -s q -l quiet -d 'Print nothing on success; only the reason on failure (stderr)'
complete -c oidcat -n "__fish_oidcat_using_subcommand completions" -s v -l verbose -d 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
complete -c oidcat -n "__fish_oidcat_using_subcommand completions" -l allow-http -d 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
complete -c oidcat -n "__fish_oidcat_using_subcommand completions" -l no-cache -d 'Neither read nor write the disk cache'
complete -c oidcat -n "__fish_oidcat_using_subcommand completions" -l offline -d 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
complete -c oidcat -n "__fish_oidcat_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oidcat -n "__fish_oidcat_using_subcommand man" -s o -l output -d 'Output format: JSON is one document on stdout, also on failure' -r -f -a "text\t''
json\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand man" -l color -d 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand man" -l timeout -d 'Seconds allowed for each HTTP request (connect, TLS, headers and body)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand man" -l ca-file -d 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand man" -l cache-dir -d 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand man" -s q -l quiet -d 'Print nothing on success; only the reason on failure (stderr)'
complete -c oidcat -n "__fish_oidcat_using_subcommand man" -s v -l verbose -d 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
complete -c oidcat -n "__fish_oidcat_using_subcommand man" -l allow-http -d 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
complete -c oidcat -n "__fish_oidcat_using_subcommand man" -l no-cache -d 'Neither read nor write the disk cache'
complete -c oidcat -n "__fish_oidcat_using_subcommand man" -l offline -d 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
complete -c oidcat -n "__fish_oidcat_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l issuer -l iss -d 'Issuer URL or preset (github, gitlab, google): keys via discovery, and `iss` must equal it' -r -f -a "github\t''
gitlab\t''
google\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l jwks-uri -d 'Key set URL (skips discovery)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l jwks-file -d 'Key set file (JWKS JSON)' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l key -d 'One public key: PEM (SPKI or RSA PUBLIC KEY), an X.509 certificate, or a JWK' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l secret-file -d 'HMAC secret file (raw bytes). Only then are HS256/HS384/HS512 allowed' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l secret-env -d 'HMAC secret from this environment variable' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l audience -l aud -d 'Accepted audience (repeatable): the token\'s `aud` must hold one of them' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l alg -d 'Allowed algorithm (repeatable) [default: RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 ES256K EdDSA; HS* only with a secret; ML-DSA-44/65/87 only when named]. `none` is never accepted' -r -f -a "HS256\t''
HS384\t''
HS512\t''
RS256\t''
RS384\t''
RS512\t''
PS256\t''
PS384\t''
PS512\t''
ES256\t''
ES384\t''
EdDSA\t''
ES512\t''
ES256K\t''
ML-DSA-44\t''
ML-DSA-65\t''
ML-DSA-87\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l claim -d 'Claim assertion: NAME=VALUE, NAME!=VALUE, NAME~GLOB, NAME!~GLOB (repeatable). GLOB: `*` any run (also `/`), `?` one character; anchored. Dotted NAME reaches into objects. A missing claim fails all four' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l require -d 'The claim must be present (repeatable)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l assert -d 'jq expression over the claims (`$header` is the header); holds when it yields only `true` (repeatable)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l leeway -d 'Clock skew allowed on exp, nbf and iat, in seconds (at most 600)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l typ -d 'Required header `typ` (case-insensitive; `application/` optional), e.g. at+jwt' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l max-age -d 'Reject tokens whose `iat` is older than this many seconds (requires iat)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l repo -d 'The repository: GitHub `repository`, GitLab `project_path` (OWNER/NAME)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l ref -d 'The ref: GitHub `ref`, a full ref (refs/heads/main); GitLab `ref`, a branch or tag name (main)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l workflow -d 'The workflow: GitHub `job_workflow_ref` (OWNER/REPO/.github/workflows/FILE@REF); GitLab `ci_config_ref_uri`' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l environment -d 'The deployment environment: `environment` (absent on a job without one)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l event -d 'The event that started the run: GitHub `event_name`, GitLab `pipeline_source`' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l listen -d 'Address to listen on: HOST:PORT, an IP address or a host name (`0.0.0.0:8080` in a container, `[::1]:8080`, `localhost:8080`)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l forward-claim -d 'Forward this claim as X-Auth-Request-Claim-<Name> on 200 (repeatable; dotted paths allowed)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l workers -d 'Worker threads of the server runtime' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l max-connections -d 'Most connections served at once; more wait in the accept queue' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l header-timeout -d 'Seconds a client may take to send a request\'s headers, counted from connecting or from its previous answer: slow and idle connections are closed after it' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l policy -d 'Serve every issuer and route of this policy file (docs/policy.md) instead of the key-source and check flags; reloaded on SIGHUP and when it changes' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l cache-verified -d 'Cache this many verified tokens (keyed by a SHA-256 of the whole token) until their exp or the next key-set change. 0 = off' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -s o -l output -d 'Output format: JSON is one document on stdout, also on failure' -r -f -a "text\t''
json\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l color -d 'Colour: `auto` colours only a terminal; NO_COLOR and CLICOLOR_FORCE are honoured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l timeout -d 'Seconds allowed for each HTTP request (connect, TLS, headers and body)' -r -f
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l ca-file -d 'Extra trusted root certificates (PEM), on top of the bundled Mozilla roots. SSL_CERT_FILE and SSL_CERT_DIR are added too' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l cache-dir -d 'Cache directory [default: $XDG_CACHE_HOME/oidcat, else ~/.cache/oidcat]' -r -F
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l any-audience -d 'Accept any audience (required when no --audience is given)'
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l no-require-exp -d 'Accept tokens without `exp` (they never expire: think twice)'
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -s q -l quiet -d 'Print nothing on success; only the reason on failure (stderr)'
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -s v -l verbose -d 'Log each HTTP fetch (URL, status, bytes, ms, cache hit or miss) on stderr'
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l allow-http -d 'Permit http:// URLs to non-loopback hosts (loopback issuers never need it)'
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l no-cache -d 'Neither read nor write the disk cache'
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -l offline -d 'Use only the disk cache, never the network (exit 3 on a miss). A stale entry is used with a warning'
complete -c oidcat -n "__fish_oidcat_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oidcat -n "__fish_oidcat_using_subcommand help; and not __fish_seen_subcommand_from discover jwks decode verify token policy sign keygen completions man serve help" -f -a "discover" -d 'Fetch and check an issuer\'s discovery document'
complete -c oidcat -n "__fish_oidcat_using_subcommand help; and not __fish_seen_subcommand_from discover jwks decode verify token policy sign keygen completions man serve help" -f -a "jwks" -d 'List an issuer\'s signing keys with thumbprints, certificate details and warnings'
complete -c oidcat -n "__fish_oidcat_using_subcommand help; and not __fish_seen_subcommand_from discover jwks decode verify token policy sign keygen completions man serve help" -f -a "decode" -d 'Show a token\'s header and claims. Does NOT verify anything'
complete -c oidcat -n "__fish_oidcat_using_subcommand help; and not __fish_seen_subcommand_from discover jwks decode verify token policy sign keygen completions man serve help" -f -a "verify" -d 'Verify a token: signature, issuer, audience, time, and your assertions'
complete -c oidcat -n "__fish_oidcat_using_subcommand help; and not __fish_seen_subcommand_from discover jwks decode verify token policy sign keygen completions man serve help" -f -a "token" -d 'Print this GitHub Actions job\'s OIDC token (needs `permissions: id-token: write`)'
complete -c oidcat -n "__fish_oidcat_using_subcommand help; and not __fish_seen_subcommand_from discover jwks decode verify token policy sign keygen completions man serve help" -f -a "policy" -d 'Check a policy file (several issuers, per-route rules) without any network access'
complete -c oidcat -n "__fish_oidcat_using_subcommand help; and not __fish_seen_subcommand_from discover jwks decode verify token policy sign keygen completions man serve help" -f -a "sign" -d 'Sign a JWT, for tests: prints a token made with your private key'
complete -c oidcat -n "__fish_oidcat_using_subcommand help; and not __fish_seen_subcommand_from discover jwks decode verify token policy sign keygen completions man serve help" -f -a "keygen" -d 'Make a private key for tests (`oidcat sign`), or print a key\'s public JWKS'
complete -c oidcat -n "__fish_oidcat_using_subcommand help; and not __fish_seen_subcommand_from discover jwks decode verify token policy sign keygen completions man serve help" -f -a "completions" -d 'Print a shell completion script'
complete -c oidcat -n "__fish_oidcat_using_subcommand help; and not __fish_seen_subcommand_from discover jwks decode verify token policy sign keygen completions man serve help" -f -a "man" -d 'Print a man page (roff): oidcat(1), or oidcat-SUBCOMMAND(1)'
complete -c oidcat -n "__fish_oidcat_using_subcommand help; and not __fish_seen_subcommand_from discover jwks decode verify token policy sign keygen completions man serve help" -f -a "serve" -d 'Answer "is this bearer token good?" over HTTP, for gateways'
complete -c oidcat -n "__fish_oidcat_using_subcommand help; and not __fish_seen_subcommand_from discover jwks decode verify token policy sign keygen completions man serve help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oidcat -n "__fish_oidcat_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "check" -d 'Read a policy file strictly and summarise it: exit 0 with warnings for risky settings, or exit 2 with FILE:LINE:COL for each problem'
