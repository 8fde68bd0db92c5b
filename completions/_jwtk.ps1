
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'jwtk' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'jwtk'
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
        'jwtk' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Show a token''s header and claims without verifying anything.')
            [CompletionResult]::new('mint', 'mint', [CompletionResultType]::ParameterValue, 'Create and sign a token; print it alone on stdout.')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a token''s signature and claims.')
            [CompletionResult]::new('decrypt', 'decrypt', [CompletionResultType]::ParameterValue, 'Decrypt an encrypted token (JWE) and print its plaintext, byte for byte.')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Generate a key: an HMAC secret, or an RSA, EC or Ed25519 key pair.')
            [CompletionResult]::new('keyset', 'keyset', [CompletionResultType]::ParameterValue, 'List, publish, fetch, import, promote and retire the keys of a JWKS file.')
            [CompletionResult]::new('classify', 'classify', [CompletionResultType]::ParameterValue, 'Say what kind of token this is, which OAuth grant issued it, and who its subject is.')
            [CompletionResult]::new('present', 'present', [CompletionResultType]::ParameterValue, 'Make an SD-JWT presentation: only the disclosures asked for, and a KB-JWT with --key.')
            [CompletionResult]::new('dpop', 'dpop', [CompletionResultType]::ParameterValue, 'Make a DPoP proof (RFC 9449) for one HTTP request; print it alone on stdout.')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run a local OAuth 2.0 issuer and OpenID provider for tests and CI.')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script.')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jwtk;decode' {
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Pick the token under this name when the input holds several: a query or fragment parameter, a JSON member, a cookie name or an HTTP header name (Authorization, DPoP). Example: --field id_token')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object: header, claims, signature, sizes and warnings')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Show times in the local time zone too, beside UTC (from TZ, else the system''s zone). Example: TZ=Europe/Paris jwtk decode --local "$TOKEN"')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtk;mint' {
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'A key file: PEM, DER, JWK, JWKS, an OpenSSH key or a raw HMAC secret, detected from the content; `-` reads it from stdin (not beside a token read from stdin)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'A key file: PEM, DER, JWK, JWKS, an OpenSSH key or a raw HMAC secret, detected from the content; `-` reads it from stdin (not beside a token read from stdin)')
            [CompletionResult]::new('--key-env', '--key-env', [CompletionResultType]::ParameterName, 'Read the key material from environment variable VAR')
            [CompletionResult]::new('--secret-encoding', '--secret-encoding', [CompletionResultType]::ParameterName, 'How a raw secret''s text becomes bytes (default: the bytes as they are); decoded bytes that are key material are refused')
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'Pick the key with this kid out of a JWKS; for verify, out of every source (files, environment, fetched sets): a key without this kid never serves. For mint, a single key without a kid of its own (PEM, DER) takes this kid; without --kid it is named by its RFC 7638 thumbprint')
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'The signing algorithm (default: the key''s own, or its family''s)')
            [CompletionResult]::new('--sub', '--sub', [CompletionResultType]::ParameterName, 'The subject (sub)')
            [CompletionResult]::new('--iss', '--iss', [CompletionResultType]::ParameterName, 'The issuer (iss)')
            [CompletionResult]::new('--aud', '--aud', [CompletionResultType]::ParameterName, 'An audience (aud); repeat for several (one gives a string, several an array)')
            [CompletionResult]::new('--jti', '--jti', [CompletionResultType]::ParameterName, 'The token id (jti); `auto` makes a random one')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'A claim: NAME=VALUE sets a string, NAME:=JSON any JSON value. Repeatable')
            [CompletionResult]::new('--claim', '--claim', [CompletionResultType]::ParameterName, 'A claim: NAME=VALUE sets a string, NAME:=JSON any JSON value. Repeatable')
            [CompletionResult]::new('--claims', '--claims', [CompletionResultType]::ParameterName, 'A JSON object to start from (a file, or - for stdin); flags win over it')
            [CompletionResult]::new('--exp', '--exp', [CompletionResultType]::ParameterName, 'Expiry (default +15m)')
            [CompletionResult]::new('--nbf', '--nbf', [CompletionResultType]::ParameterName, 'Not valid before (nbf)')
            [CompletionResult]::new('--iat', '--iat', [CompletionResultType]::ParameterName, 'Issued at (default now)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'A header parameter: NAME=VALUE or NAME:=JSON. Repeatable')
            [CompletionResult]::new('--typ', '--typ', [CompletionResultType]::ParameterName, 'The header typ (default JWT, or the --profile''s; an empty value leaves typ out)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Make a token of this profile: its typ (at+jwt, logout+jwt; JWT for id_token and client_assertion) and a random jti where it needs one; exit 2, naming what is missing, when the claims given can''t meet it')
            [CompletionResult]::new('--max-size', '--max-size', [CompletionResultType]::ParameterName, 'Refuse (exit 1) to print a token larger than this many bytes. Example: --max-size 4096')
            [CompletionResult]::new('--encrypt-to', '--encrypt-to', [CompletionResultType]::ParameterName, 'Encrypt the signed token to this recipient key: a nested JWT (JWE, cty JWT)')
            [CompletionResult]::new('--key-alg', '--key-alg', [CompletionResultType]::ParameterName, 'The key-management algorithm of --encrypt-to (default: by the recipient key)')
            [CompletionResult]::new('--enc', '--enc', [CompletionResultType]::ParameterName, 'The content-encryption algorithm of --encrypt-to (default A256GCM)')
            [CompletionResult]::new('--encrypt-kid', '--encrypt-kid', [CompletionResultType]::ParameterName, 'Pick the recipient key of an --encrypt-to JWKS by its kid (--kid picks the signing key)')
            [CompletionResult]::new('--sd', '--sd', [CompletionResultType]::ParameterName, 'Make the claim at this JSON pointer selectively disclosable (SD-JWT, RFC 9901); repeatable; nested paths nest. The output is the SD-JWT with every disclosure, ending in ~')
            [CompletionResult]::new('--sd-decoys', '--sd-decoys', [CompletionResultType]::ParameterName, 'Add N decoy digests to each _sd array (default 0), so their count reveals nothing')
            [CompletionResult]::new('--sd-alg', '--sd-alg', [CompletionResultType]::ParameterName, 'The hash of the disclosures'' digests (_sd_alg): sha-256 (default), sha-384 or sha-512')
            [CompletionResult]::new('--holder-key', '--holder-key', [CompletionResultType]::ParameterName, 'The holder''s key, whose public members (only) go into cnf.jwk, for key binding')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--key-prompt', '--key-prompt', [CompletionResultType]::ParameterName, 'Type an HMAC secret at the terminal (not echoed)')
            [CompletionResult]::new('--no-exp', '--no-exp', [CompletionResultType]::ParameterName, 'Make a token that never expires (with a warning)')
            [CompletionResult]::new('--no-iat', '--no-iat', [CompletionResultType]::ParameterName, 'Leave out iat')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object instead of the bare token: token, header, claims, exp, kid. Example: jwtk mint --key k.pem --json | jq -r .token')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtk;verify' {
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Pick the token under this name when the input holds several: a query or fragment parameter, a JSON member, a cookie name or an HTTP header name (Authorization, DPoP). Example: --field id_token')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'A key file: PEM, DER, JWK, JWKS, an OpenSSH key or a raw HMAC secret, detected from the content; `-` reads it from stdin (not beside a token read from stdin)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'A key file: PEM, DER, JWK, JWKS, an OpenSSH key or a raw HMAC secret, detected from the content; `-` reads it from stdin (not beside a token read from stdin)')
            [CompletionResult]::new('--key-env', '--key-env', [CompletionResultType]::ParameterName, 'Read the key material from environment variable VAR')
            [CompletionResult]::new('--secret-encoding', '--secret-encoding', [CompletionResultType]::ParameterName, 'How a raw secret''s text becomes bytes (default: the bytes as they are); decoded bytes that are key material are refused')
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'Pick the key with this kid out of a JWKS; for verify, out of every source (files, environment, fetched sets): a key without this kid never serves. For mint, a single key without a kid of its own (PEM, DER) takes this kid; without --kid it is named by its RFC 7638 thumbprint')
            [CompletionResult]::new('--jwks', '--jwks', [CompletionResultType]::ParameterName, 'Fetch a JWKS over HTTPS from URL (repeatable, beside --key), through the cache')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Fetch the issuer''s keys by OIDC discovery (then RFC 8414) and require iss = URL')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM file too, besides the system''s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up a fetch (redirects included) after this long; default 10s, at most 5m')
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'Allow this algorithm (repeatable); default: the algorithms the keys fit')
            [CompletionResult]::new('--iss', '--iss', [CompletionResultType]::ParameterName, 'Require this issuer (repeatable: any one may match)')
            [CompletionResult]::new('--aud', '--aud', [CompletionResultType]::ParameterName, 'Require this audience (repeatable: any one may match)')
            [CompletionResult]::new('--sub', '--sub', [CompletionResultType]::ParameterName, 'Require this subject')
            [CompletionResult]::new('--typ', '--typ', [CompletionResultType]::ParameterName, 'Require this header typ (case-insensitive, with or without application/)')
            [CompletionResult]::new('--require', '--require', [CompletionResultType]::ParameterName, 'Require this claim to be present and not null (repeatable)')
            [CompletionResult]::new('--leeway', '--leeway', [CompletionResultType]::ParameterName, 'Allowed clock skew for exp and nbf: 90s, 15m, 2h, 7d or seconds')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Judge the time claims at this instant instead of now')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Worker threads for --batch, 1 to 256 (default: one per core, at most 256)')
            [CompletionResult]::new('--decrypt-key', '--decrypt-key', [CompletionResultType]::ParameterName, 'Decrypt a JWE with this key first, then verify the nested JWT inside (repeatable)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Check the token against a specification''s profile too (once)')
            [CompletionResult]::new('--nonce', '--nonce', [CompletionResultType]::ParameterName, 'id_token: the nonce sent in the authentication request, which nonce must equal')
            [CompletionResult]::new('--access-token', '--access-token', [CompletionResultType]::ParameterName, 'id_token: the access token issued with it, which at_hash must match; - reads stdin (one trailing newline removed)')
            [CompletionResult]::new('--code', '--code', [CompletionResultType]::ParameterName, 'id_token: the authorization code issued with it, which c_hash must match')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'id_token: auth_time must be present and no older than this (the max_age sent)')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'id_token: aud must hold this client id (it stands for --aud); client_assertion: iss and sub must be it')
            [CompletionResult]::new('--dpop', '--dpop', [CompletionResultType]::ParameterName, 'Check this DPoP proof (the request''s DPoP header) too, e.g. --dpop "$PROOF"')
            [CompletionResult]::new('--htm', '--htm', [CompletionResultType]::ParameterName, 'The request''s HTTP method, which the proof''s htm must equal, e.g. --htm GET')
            [CompletionResult]::new('--htu', '--htu', [CompletionResultType]::ParameterName, 'The request''s URI, which the proof''s htu must name, e.g. --htu https://api.example.com/x')
            [CompletionResult]::new('--dpop-alg', '--dpop-alg', [CompletionResultType]::ParameterName, 'Allow this proof algorithm (repeatable), e.g. --dpop-alg ES384; default ES256, EdDSA, RS256, PS256')
            [CompletionResult]::new('--dpop-max-age', '--dpop-max-age', [CompletionResultType]::ParameterName, 'How old a proof may be (the leeway comes on top), e.g. --dpop-max-age 1m')
            [CompletionResult]::new('--dpop-nonce', '--dpop-nonce', [CompletionResultType]::ParameterName, 'The nonce the server gave (DPoP-Nonce), which the proof must carry, e.g. --dpop-nonce n1')
            [CompletionResult]::new('--kb-nonce', '--kb-nonce', [CompletionResultType]::ParameterName, 'The nonce this verifier gave the holder, which the KB-JWT''s nonce must equal')
            [CompletionResult]::new('--kb-aud', '--kb-aud', [CompletionResultType]::ParameterName, 'This verifier''s identifier, which the KB-JWT''s aud must equal')
            [CompletionResult]::new('--kb-max-age', '--kb-max-age', [CompletionResultType]::ParameterName, 'How old a KB-JWT''s iat may be (the leeway comes on top)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--key-prompt', '--key-prompt', [CompletionResultType]::ParameterName, 'Type an HMAC secret at the terminal (not echoed)')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only the cache: fetch nothing, whatever the copy''s age')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Ask the server even when the cached copy is fresh')
            [CompletionResult]::new('--allow-no-exp', '--allow-no-exp', [CompletionResultType]::ParameterName, 'Accept a token without exp')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing; the exit code says it all')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing; the exit code says it all')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Verify one token per line of stdin; print one JSON object per line, in order, with "line": N; counts on stderr. Exit 0 when all are valid, 1 when any is not')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object: valid, reason, message, alg, kid, key, header, claims')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Show times in the local time zone too, beside UTC (from TZ, else the system''s zone). Example: TZ=Europe/Paris jwtk decode --local "$TOKEN"')
            [CompletionResult]::new('--require-kb', '--require-kb', [CompletionResultType]::ParameterName, 'Reject an SD-JWT presented without a KB-JWT')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtk;decrypt' {
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Pick the token under this name when the input holds several: a query or fragment parameter, a JSON member, a cookie name or an HTTP header name (Authorization, DPoP). Example: --field id_token')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'A key file: PEM, DER, JWK, JWKS, an OpenSSH key or a raw HMAC secret, detected from the content; `-` reads it from stdin (not beside a token read from stdin)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'A key file: PEM, DER, JWK, JWKS, an OpenSSH key or a raw HMAC secret, detected from the content; `-` reads it from stdin (not beside a token read from stdin)')
            [CompletionResult]::new('--key-env', '--key-env', [CompletionResultType]::ParameterName, 'Read the key material from environment variable VAR')
            [CompletionResult]::new('--secret-encoding', '--secret-encoding', [CompletionResultType]::ParameterName, 'How a raw secret''s text becomes bytes (default: the bytes as they are); decoded bytes that are key material are refused')
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'Pick the key with this kid out of a JWKS; for verify, out of every source (files, environment, fetched sets): a key without this kid never serves. For mint, a single key without a kid of its own (PEM, DER) takes this kid; without --kid it is named by its RFC 7638 thumbprint')
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'Allow this key-management algorithm (repeatable); default: those the keys fit')
            [CompletionResult]::new('--enc', '--enc', [CompletionResultType]::ParameterName, 'Allow this content-encryption algorithm (repeatable); default: all six')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--key-prompt', '--key-prompt', [CompletionResultType]::ParameterName, 'Type an HMAC secret at the terminal (not echoed)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object: decrypted, header, plaintext (or plaintext_b64), nested')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtk;keygen' {
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'The kind of key (default: the one --alg needs)')
            [CompletionResult]::new('--bits', '--bits', [CompletionResultType]::ParameterName, 'Size in bits: hmac 256 (default) to 4096; rsa 2048 (default), 3072, 4096 or 8192')
            [CompletionResult]::new('--curve', '--curve', [CompletionResultType]::ParameterName, 'The curve of an EC key (default P-256)')
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'The JWK''s alg: a JWS algorithm, or with --use enc a JWE key-management algorithm; for hmac it also sizes the secret (HS384: 384 bits, HS512: 512; A128KW: 128)')
            [CompletionResult]::new('--use', '--use', [CompletionResultType]::ParameterName, 'What the key is for: sig (signatures, the default) or enc (encrypted tokens, JWE)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (default pem; hmac has no pem, its default is jwk)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the private key to PATH (0600) and the public key to PATH.pub')
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'The key id (default: RFC 7638 thumbprint; random for hmac)')
            [CompletionResult]::new('--add-to', '--add-to', [CompletionResultType]::ParameterName, 'Append the new private key to this JWKS file (created 0600 if missing)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace existing files: both new files are written and synced before either replaces its old one')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtk;keyset' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'One line per key: kid, type, alg, use, private or public; which key signs; duplicate kids and keys jwtk cannot use are flagged.')
            [CompletionResult]::new('public', 'public', [CompletionResultType]::ParameterValue, 'The public JWKS for verifiers: public members only, HMAC keys left out.')
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Save an issuer''s published public keys to a file, to pin them or use them offline.')
            [CompletionResult]::new('promote', 'promote', [CompletionResultType]::ParameterValue, 'Make one key the signing key (move it first); it must be able to sign.')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add an existing key (any format --key reads) at the end of a keyset; prints its kid.')
            [CompletionResult]::new('retire', 'retire', [CompletionResultType]::ParameterValue, 'Remove one key, keeping the others untouched.')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jwtk;keyset;list' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON array: kid, kty, alg, use, private, signing per key')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtk;keyset;public' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write to PATH (mode 0644) instead of stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace PATH if it exists (atomically)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtk;keyset;fetch' {
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Find the JWKS by OIDC discovery (then RFC 8414) of this issuer')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the public set here (mode 0644) instead of stdout. Example: --out google.jwks')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM file too, besides the system''s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up a fetch (redirects included) after this long; default 10s, at most 5m')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace PATH if it exists (atomically)')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Use only the cache: fetch nothing, whatever the copy''s age')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Ask the server even when the cached copy is fresh')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtk;keyset;promote' {
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'The kid of the key that signs from now on')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtk;keyset;import' {
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'The key file to add: PEM, DER, a JWK, or a raw HMAC secret')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The key file to add: PEM, DER, a JWK, or a raw HMAC secret')
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'The kid to give a key that has none')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtk;keyset;retire' {
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'The kid of the key to remove')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Retire it even if it is the signing key or the last key')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtk;keyset;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'One line per key: kid, type, alg, use, private or public; which key signs; duplicate kids and keys jwtk cannot use are flagged.')
            [CompletionResult]::new('public', 'public', [CompletionResultType]::ParameterValue, 'The public JWKS for verifiers: public members only, HMAC keys left out.')
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Save an issuer''s published public keys to a file, to pin them or use them offline.')
            [CompletionResult]::new('promote', 'promote', [CompletionResultType]::ParameterValue, 'Make one key the signing key (move it first); it must be able to sign.')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add an existing key (any format --key reads) at the end of a keyset; prints its kid.')
            [CompletionResult]::new('retire', 'retire', [CompletionResultType]::ParameterValue, 'Remove one key, keeping the others untouched.')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jwtk;keyset;help;list' {
            break
        }
        'jwtk;keyset;help;public' {
            break
        }
        'jwtk;keyset;help;fetch' {
            break
        }
        'jwtk;keyset;help;promote' {
            break
        }
        'jwtk;keyset;help;import' {
            break
        }
        'jwtk;keyset;help;retire' {
            break
        }
        'jwtk;keyset;help;help' {
            break
        }
        'jwtk;classify' {
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Pick the token under this name when the input holds several: a query or fragment parameter, a JSON member, a cookie name or an HTTP header name (Authorization, DPoP). Example: --field id_token')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object: kind, flow, subject, provider, confidence, evidence, conflicts')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 1 when the answer has low confidence or conflicts')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Show times in the local time zone too, beside UTC (from TZ, else the system''s zone). Example: TZ=Europe/Paris jwtk decode --local "$TOKEN"')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtk;present' {
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Pick the token under this name when the input holds several: a query or fragment parameter, a JSON member, a cookie name or an HTTP header name (Authorization, DPoP). Example: --field id_token')
            [CompletionResult]::new('--disclose', '--disclose', [CompletionResultType]::ParameterName, 'Disclose the claim at this JSON pointer (repeatable): its disclosure, those of the objects and arrays on the way, and everything inside it. An array index counts the elements as signed, as decode''s paths do')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'The holder''s private key (it must be the credential''s cnf.jwk): appends a KB-JWT')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The holder''s private key (it must be the credential''s cnf.jwk): appends a KB-JWT')
            [CompletionResult]::new('--kb-aud', '--kb-aud', [CompletionResultType]::ParameterName, 'The verifier the KB-JWT is for (its aud; required with --key)')
            [CompletionResult]::new('--kb-nonce', '--kb-nonce', [CompletionResultType]::ParameterName, 'The verifier''s nonce (the KB-JWT''s nonce; required with --key)')
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'The KB-JWT''s signing algorithm (default: the key''s own, or its family''s)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--disclose-all', '--disclose-all', [CompletionResultType]::ParameterName, 'Disclose every selectively disclosable claim')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtk;dpop' {
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'A key file: PEM, DER, JWK, JWKS, an OpenSSH key or a raw HMAC secret, detected from the content; `-` reads it from stdin (not beside a token read from stdin)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'A key file: PEM, DER, JWK, JWKS, an OpenSSH key or a raw HMAC secret, detected from the content; `-` reads it from stdin (not beside a token read from stdin)')
            [CompletionResult]::new('--key-env', '--key-env', [CompletionResultType]::ParameterName, 'Read the key material from environment variable VAR')
            [CompletionResult]::new('--secret-encoding', '--secret-encoding', [CompletionResultType]::ParameterName, 'How a raw secret''s text becomes bytes (default: the bytes as they are); decoded bytes that are key material are refused')
            [CompletionResult]::new('--kid', '--kid', [CompletionResultType]::ParameterName, 'Pick the key with this kid out of a JWKS; for verify, out of every source (files, environment, fetched sets): a key without this kid never serves. For mint, a single key without a kid of its own (PEM, DER) takes this kid; without --kid it is named by its RFC 7638 thumbprint')
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'The signing algorithm (default: the key''s own, or its family''s), e.g. --alg PS256')
            [CompletionResult]::new('--htm', '--htm', [CompletionResultType]::ParameterName, 'The request''s HTTP method (htm), exactly as sent, e.g. --htm GET')
            [CompletionResult]::new('--htu', '--htu', [CompletionResultType]::ParameterName, 'The request''s URI (htu); query and fragment are left out, e.g. --htu https://api.example.com/x')
            [CompletionResult]::new('--ath', '--ath', [CompletionResultType]::ParameterName, 'The access token the request carries, hashed into ath; - reads it from stdin, e.g. --ath -')
            [CompletionResult]::new('--nonce', '--nonce', [CompletionResultType]::ParameterName, 'The nonce the server gave in DPoP-Nonce, e.g. --nonce eyJ7S_zG.eyJH0-Z.HX4w-7v')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--key-prompt', '--key-prompt', [CompletionResultType]::ParameterName, 'Type an HMAC secret at the terminal (not echoed)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtk;serve' {
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'The keyset (JWKS) or key file that signs, re-read when it changes (default: an ephemeral EC P-256 key)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The keyset (JWKS) or key file that signs, re-read when it changes (default: an ephemeral EC P-256 key)')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Where to listen, HOST:PORT with an IP address or localhost (default 127.0.0.1:8080); port 0 picks a free one. A non-loopback address needs declared clients')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The issuer URL clients use (default: http://HOST:PORT of --addr, localhost for 0.0.0.0 and ::); requests for other hosts than its own and loopback get 421')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The config file (JSON): clients, with their secrets or keys (private_key_jwt), redirect URIs, scopes, audience, claims and ttl, and users'' claims; re-read when it changes')
            [CompletionResult]::new('--client', '--client', [CompletionResultType]::ParameterName, 'Declare a public client (repeatable); declared clients end open mode')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user /authorize signs in when the request has no login_hint (default: user); the config''s "users" give users their claims')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'Access token lifetime, unless the client''s config sets one (at most 366d)')
            [CompletionResult]::new('--jwks-max-age', '--jwks-max-age', [CompletionResultType]::ParameterName, 'Cache-Control max-age of /jwks and the discovery documents (at most 1d)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long a client has to send a whole request before it is cut off, 1s to 5m')
            [CompletionResult]::new('--ca-out', '--ca-out', [CompletionResultType]::ParameterName, 'Where --tls writes the CA certificate (default: a temporary file, named in a note)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Serve HTTPS with this certificate chain (PEM); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'The private key of --tls-cert (PEM)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Serve HTTPS with a throwaway CA made at start, limited to the names it serves; its key never leaves memory')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Leave out the request log (notes and warnings stay)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Leave out the request log (notes and warnings stay)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtk;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jwtk;help' {
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Show a token''s header and claims without verifying anything.')
            [CompletionResult]::new('mint', 'mint', [CompletionResultType]::ParameterValue, 'Create and sign a token; print it alone on stdout.')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a token''s signature and claims.')
            [CompletionResult]::new('decrypt', 'decrypt', [CompletionResultType]::ParameterValue, 'Decrypt an encrypted token (JWE) and print its plaintext, byte for byte.')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Generate a key: an HMAC secret, or an RSA, EC or Ed25519 key pair.')
            [CompletionResult]::new('keyset', 'keyset', [CompletionResultType]::ParameterValue, 'List, publish, fetch, import, promote and retire the keys of a JWKS file.')
            [CompletionResult]::new('classify', 'classify', [CompletionResultType]::ParameterValue, 'Say what kind of token this is, which OAuth grant issued it, and who its subject is.')
            [CompletionResult]::new('present', 'present', [CompletionResultType]::ParameterValue, 'Make an SD-JWT presentation: only the disclosures asked for, and a KB-JWT with --key.')
            [CompletionResult]::new('dpop', 'dpop', [CompletionResultType]::ParameterValue, 'Make a DPoP proof (RFC 9449) for one HTTP request; print it alone on stdout.')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run a local OAuth 2.0 issuer and OpenID provider for tests and CI.')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script.')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jwtk;help;decode' {
            break
        }
        'jwtk;help;mint' {
            break
        }
        'jwtk;help;verify' {
            break
        }
        'jwtk;help;decrypt' {
            break
        }
        'jwtk;help;keygen' {
            break
        }
        'jwtk;help;keyset' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'One line per key: kid, type, alg, use, private or public; which key signs; duplicate kids and keys jwtk cannot use are flagged.')
            [CompletionResult]::new('public', 'public', [CompletionResultType]::ParameterValue, 'The public JWKS for verifiers: public members only, HMAC keys left out.')
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Save an issuer''s published public keys to a file, to pin them or use them offline.')
            [CompletionResult]::new('promote', 'promote', [CompletionResultType]::ParameterValue, 'Make one key the signing key (move it first); it must be able to sign.')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add an existing key (any format --key reads) at the end of a keyset; prints its kid.')
            [CompletionResult]::new('retire', 'retire', [CompletionResultType]::ParameterValue, 'Remove one key, keeping the others untouched.')
            break
        }
        'jwtk;help;keyset;list' {
            break
        }
        'jwtk;help;keyset;public' {
            break
        }
        'jwtk;help;keyset;fetch' {
            break
        }
        'jwtk;help;keyset;promote' {
            break
        }
        'jwtk;help;keyset;import' {
            break
        }
        'jwtk;help;keyset;retire' {
            break
        }
        'jwtk;help;classify' {
            break
        }
        'jwtk;help;present' {
            break
        }
        'jwtk;help;dpop' {
            break
        }
        'jwtk;help;serve' {
            break
        }
        'jwtk;help;completions' {
            break
        }
        'jwtk;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
