# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_jwtk_global_optspecs
    string join \n color= h/help V/version
end

function __fish_jwtk_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_jwtk_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_jwtk_using_subcommand
    set -l cmd (__fish_jwtk_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c jwtk -n "__fish_jwtk_needs_command" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'Colour when the stream is a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c jwtk -n "__fish_jwtk_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtk -n "__fish_jwtk_needs_command" -s V -l version -d 'Print version'
complete -c jwtk -n "__fish_jwtk_needs_command" -f -a "decode" -d 'Show a token\'s header and claims without verifying anything.'
complete -c jwtk -n "__fish_jwtk_needs_command" -f -a "mint" -d 'Create and sign a token; print it alone on stdout.'
complete -c jwtk -n "__fish_jwtk_needs_command" -f -a "verify" -d 'Check a token\'s signature and claims.'
complete -c jwtk -n "__fish_jwtk_needs_command" -f -a "decrypt" -d 'Decrypt an encrypted token (JWE) and print its plaintext, byte for byte.'
complete -c jwtk -n "__fish_jwtk_needs_command" -f -a "keygen" -d 'Generate a key: an HMAC secret, or an RSA, EC or Ed25519 key pair.'
complete -c jwtk -n "__fish_jwtk_needs_command" -f -a "keyset" -d 'List, publish, fetch, import, promote and retire the keys of a JWKS file.'
complete -c jwtk -n "__fish_jwtk_needs_command" -f -a "classify" -d 'Say what kind of token this is, which OAuth grant issued it, and who its subject is.'
complete -c jwtk -n "__fish_jwtk_needs_command" -f -a "present" -d 'Make an SD-JWT presentation: only the disclosures asked for, and a KB-JWT with --key.'
complete -c jwtk -n "__fish_jwtk_needs_command" -f -a "dpop" -d 'Make a DPoP proof (RFC 9449) for one HTTP request; print it alone on stdout.'
complete -c jwtk -n "__fish_jwtk_needs_command" -f -a "serve" -d 'Run a local OAuth 2.0 issuer and OpenID provider for tests and CI.'
complete -c jwtk -n "__fish_jwtk_needs_command" -f -a "completions" -d 'Print a shell completion script.'
complete -c jwtk -n "__fish_jwtk_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jwtk -n "__fish_jwtk_using_subcommand decode" -l field -d 'Pick the token under this name when the input holds several: a query or fragment parameter, a JSON member, a cookie name or an HTTP header name (Authorization, DPoP). Example: --field id_token' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand decode" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'Colour when the stream is a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c jwtk -n "__fish_jwtk_using_subcommand decode" -l json -d 'Print one JSON object: header, claims, signature, sizes and warnings'
complete -c jwtk -n "__fish_jwtk_using_subcommand decode" -l local -d 'Show times in the local time zone too, beside UTC (from TZ, else the system\'s zone). Example: TZ=Europe/Paris jwtk decode --local "$TOKEN"'
complete -c jwtk -n "__fish_jwtk_using_subcommand decode" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtk -n "__fish_jwtk_using_subcommand decode" -s V -l version -d 'Print version'
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -s k -l key -d 'A key file: PEM, DER, JWK, JWKS, an OpenSSH key or a raw HMAC secret, detected from the content; `-` reads it from stdin (not beside a token read from stdin)' -r -F
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l key-env -d 'Read the key material from environment variable VAR' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l secret-encoding -d 'How a raw secret\'s text becomes bytes (default: the bytes as they are); decoded bytes that are key material are refused' -r -f -a "utf8\t'The bytes, which must be UTF-8 text'
base64\t'Standard base64 (padding optional, line breaks allowed)'
base64url\t'base64url (padding optional, line breaks allowed)'
hex\t'Hexadecimal (line breaks allowed)'"
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l kid -d 'Pick the key with this kid out of a JWKS; for verify, out of every source (files, environment, fetched sets): a key without this kid never serves. For mint, a single key without a kid of its own (PEM, DER) takes this kid; without --kid it is named by its RFC 7638 thumbprint' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l alg -d 'The signing algorithm (default: the key\'s own, or its family\'s)' -r -f -a "HS256\t''
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
ES512\t''
EdDSA\t''
Ed25519\t''"
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l sub -d 'The subject (sub)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l iss -d 'The issuer (iss)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l aud -d 'An audience (aud); repeat for several (one gives a string, several an array)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l jti -d 'The token id (jti); `auto` makes a random one' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -s c -l claim -d 'A claim: NAME=VALUE sets a string, NAME:=JSON any JSON value. Repeatable' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l claims -d 'A JSON object to start from (a file, or - for stdin); flags win over it' -r -F
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l exp -d 'Expiry (default +15m)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l nbf -d 'Not valid before (nbf)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l iat -d 'Issued at (default now)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l header -d 'A header parameter: NAME=VALUE or NAME:=JSON. Repeatable' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l typ -d 'The header typ (default JWT, or the --profile\'s; an empty value leaves typ out)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l profile -d 'Make a token of this profile: its typ (at+jwt, logout+jwt; JWT for id_token and client_assertion) and a random jti where it needs one; exit 2, naming what is missing, when the claims given can\'t meet it' -r -f -a "logout\t'OpenID Connect Back-Channel Logout token'
client_assertion\t'client assertion (RFC 7523, OIDC Core §9)'
at+jwt\t'JWT access token (RFC 9068)'
id_token\t'OpenID Connect ID token (OIDC Core)'"
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l max-size -d 'Refuse (exit 1) to print a token larger than this many bytes. Example: --max-size 4096' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l encrypt-to -d 'Encrypt the signed token to this recipient key: a nested JWT (JWE, cty JWT)' -r -F
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l key-alg -d 'The key-management algorithm of --encrypt-to (default: by the recipient key)' -r -f -a "RSA-OAEP\t''
RSA-OAEP-256\t''
ECDH-ES\t''
ECDH-ES+A128KW\t''
ECDH-ES+A192KW\t''
ECDH-ES+A256KW\t''
A128KW\t''
A192KW\t''
A256KW\t''
A128GCMKW\t''
A192GCMKW\t''
A256GCMKW\t''
dir\t''"
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l enc -d 'The content-encryption algorithm of --encrypt-to (default A256GCM)' -r -f -a "A128GCM\t''
A192GCM\t''
A256GCM\t''
A128CBC-HS256\t''
A192CBC-HS384\t''
A256CBC-HS512\t''"
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l encrypt-kid -d 'Pick the recipient key of an --encrypt-to JWKS by its kid (--kid picks the signing key)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l sd -d 'Make the claim at this JSON pointer selectively disclosable (SD-JWT, RFC 9901); repeatable; nested paths nest. The output is the SD-JWT with every disclosure, ending in ~' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l sd-decoys -d 'Add N decoy digests to each _sd array (default 0), so their count reveals nothing' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l sd-alg -d 'The hash of the disclosures\' digests (_sd_alg): sha-256 (default), sha-384 or sha-512' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l holder-key -d 'The holder\'s key, whose public members (only) go into cnf.jwk, for key binding' -r -F
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'Colour when the stream is a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l key-prompt -d 'Type an HMAC secret at the terminal (not echoed)'
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l no-exp -d 'Make a token that never expires (with a warning)'
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l no-iat -d 'Leave out iat'
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l json -d 'Print one JSON object instead of the bare token: token, header, claims, exp, kid. Example: jwtk mint --key k.pem --json | jq -r .token'
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -s V -l version -d 'Print version'
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l field -d 'Pick the token under this name when the input holds several: a query or fragment parameter, a JSON member, a cookie name or an HTTP header name (Authorization, DPoP). Example: --field id_token' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -s k -l key -d 'A key file: PEM, DER, JWK, JWKS, an OpenSSH key or a raw HMAC secret, detected from the content; `-` reads it from stdin (not beside a token read from stdin)' -r -F
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l key-env -d 'Read the key material from environment variable VAR' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l secret-encoding -d 'How a raw secret\'s text becomes bytes (default: the bytes as they are); decoded bytes that are key material are refused' -r -f -a "utf8\t'The bytes, which must be UTF-8 text'
base64\t'Standard base64 (padding optional, line breaks allowed)'
base64url\t'base64url (padding optional, line breaks allowed)'
hex\t'Hexadecimal (line breaks allowed)'"
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l kid -d 'Pick the key with this kid out of a JWKS; for verify, out of every source (files, environment, fetched sets): a key without this kid never serves. For mint, a single key without a kid of its own (PEM, DER) takes this kid; without --kid it is named by its RFC 7638 thumbprint' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l jwks -d 'Fetch a JWKS over HTTPS from URL (repeatable, beside --key), through the cache' -r -f
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l issuer -d 'Fetch the issuer\'s keys by OIDC discovery (then RFC 8414) and require iss = URL' -r -f
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l cacert -d 'Trust the CA certificates in this PEM file too, besides the system\'s' -r -F
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l timeout -d 'Give up a fetch (redirects included) after this long; default 10s, at most 5m' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l alg -d 'Allow this algorithm (repeatable); default: the algorithms the keys fit' -r -f -a "HS256\t''
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
ES512\t''
EdDSA\t''
Ed25519\t''"
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l iss -d 'Require this issuer (repeatable: any one may match)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l aud -d 'Require this audience (repeatable: any one may match)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l sub -d 'Require this subject' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l typ -d 'Require this header typ (case-insensitive, with or without application/)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l require -d 'Require this claim to be present and not null (repeatable)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l leeway -d 'Allowed clock skew for exp and nbf: 90s, 15m, 2h, 7d or seconds' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l now -d 'Judge the time claims at this instant instead of now' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l jobs -d 'Worker threads for --batch, 1 to 256 (default: one per core, at most 256)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l decrypt-key -d 'Decrypt a JWE with this key first, then verify the nested JWT inside (repeatable)' -r -F
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l profile -d 'Check the token against a specification\'s profile too (once)' -r -f -a "logout\t'OpenID Connect Back-Channel Logout token'
client_assertion\t'client assertion (RFC 7523, OIDC Core §9)'
at+jwt\t'JWT access token (RFC 9068)'
id_token\t'OpenID Connect ID token (OIDC Core)'
sd-jwt-vc\t'SD-JWT verifiable credential (draft-ietf-oauth-sd-jwt-vc)'"
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l nonce -d 'id_token: the nonce sent in the authentication request, which nonce must equal' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l access-token -d 'id_token: the access token issued with it, which at_hash must match; - reads stdin (one trailing newline removed)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l code -d 'id_token: the authorization code issued with it, which c_hash must match' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l max-age -d 'id_token: auth_time must be present and no older than this (the max_age sent)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l client-id -d 'id_token: aud must hold this client id (it stands for --aud); client_assertion: iss and sub must be it' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l dpop -d 'Check this DPoP proof (the request\'s DPoP header) too, e.g. --dpop "$PROOF"' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l htm -d 'The request\'s HTTP method, which the proof\'s htm must equal, e.g. --htm GET' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l htu -d 'The request\'s URI, which the proof\'s htu must name, e.g. --htu https://api.example.com/x' -r -f
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l dpop-alg -d 'Allow this proof algorithm (repeatable), e.g. --dpop-alg ES384; default ES256, EdDSA, RS256, PS256' -r -f -a "HS256\t''
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
ES512\t''
EdDSA\t''
Ed25519\t''"
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l dpop-max-age -d 'How old a proof may be (the leeway comes on top), e.g. --dpop-max-age 1m' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l dpop-nonce -d 'The nonce the server gave (DPoP-Nonce), which the proof must carry, e.g. --dpop-nonce n1' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l kb-nonce -d 'The nonce this verifier gave the holder, which the KB-JWT\'s nonce must equal' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l kb-aud -d 'This verifier\'s identifier, which the KB-JWT\'s aud must equal' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l kb-max-age -d 'How old a KB-JWT\'s iat may be (the leeway comes on top)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'Colour when the stream is a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l key-prompt -d 'Type an HMAC secret at the terminal (not echoed)'
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l offline -d 'Use only the cache: fetch nothing, whatever the copy\'s age'
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l refresh -d 'Ask the server even when the cached copy is fresh'
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l allow-no-exp -d 'Accept a token without exp'
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -s q -l quiet -d 'Print nothing; the exit code says it all'
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l batch -d 'Verify one token per line of stdin; print one JSON object per line, in order, with "line": N; counts on stderr. Exit 0 when all are valid, 1 when any is not'
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l json -d 'Print one JSON object: valid, reason, message, alg, kid, key, header, claims'
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l local -d 'Show times in the local time zone too, beside UTC (from TZ, else the system\'s zone). Example: TZ=Europe/Paris jwtk decode --local "$TOKEN"'
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l require-kb -d 'Reject an SD-JWT presented without a KB-JWT'
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -s V -l version -d 'Print version'
complete -c jwtk -n "__fish_jwtk_using_subcommand decrypt" -l field -d 'Pick the token under this name when the input holds several: a query or fragment parameter, a JSON member, a cookie name or an HTTP header name (Authorization, DPoP). Example: --field id_token' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand decrypt" -s k -l key -d 'A key file: PEM, DER, JWK, JWKS, an OpenSSH key or a raw HMAC secret, detected from the content; `-` reads it from stdin (not beside a token read from stdin)' -r -F
complete -c jwtk -n "__fish_jwtk_using_subcommand decrypt" -l key-env -d 'Read the key material from environment variable VAR' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand decrypt" -l secret-encoding -d 'How a raw secret\'s text becomes bytes (default: the bytes as they are); decoded bytes that are key material are refused' -r -f -a "utf8\t'The bytes, which must be UTF-8 text'
base64\t'Standard base64 (padding optional, line breaks allowed)'
base64url\t'base64url (padding optional, line breaks allowed)'
hex\t'Hexadecimal (line breaks allowed)'"
complete -c jwtk -n "__fish_jwtk_using_subcommand decrypt" -l kid -d 'Pick the key with this kid out of a JWKS; for verify, out of every source (files, environment, fetched sets): a key without this kid never serves. For mint, a single key without a kid of its own (PEM, DER) takes this kid; without --kid it is named by its RFC 7638 thumbprint' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand decrypt" -l alg -d 'Allow this key-management algorithm (repeatable); default: those the keys fit' -r -f -a "RSA-OAEP\t''
RSA-OAEP-256\t''
ECDH-ES\t''
ECDH-ES+A128KW\t''
ECDH-ES+A192KW\t''
ECDH-ES+A256KW\t''
A128KW\t''
A192KW\t''
A256KW\t''
A128GCMKW\t''
A192GCMKW\t''
A256GCMKW\t''
dir\t''"
complete -c jwtk -n "__fish_jwtk_using_subcommand decrypt" -l enc -d 'Allow this content-encryption algorithm (repeatable); default: all six' -r -f -a "A128GCM\t''
A192GCM\t''
A256GCM\t''
A128CBC-HS256\t''
A192CBC-HS384\t''
A256CBC-HS512\t''"
complete -c jwtk -n "__fish_jwtk_using_subcommand decrypt" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'Colour when the stream is a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c jwtk -n "__fish_jwtk_using_subcommand decrypt" -l key-prompt -d 'Type an HMAC secret at the terminal (not echoed)'
complete -c jwtk -n "__fish_jwtk_using_subcommand decrypt" -l json -d 'Print one JSON object: decrypted, header, plaintext (or plaintext_b64), nested'
complete -c jwtk -n "__fish_jwtk_using_subcommand decrypt" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtk -n "__fish_jwtk_using_subcommand decrypt" -s V -l version -d 'Print version'
complete -c jwtk -n "__fish_jwtk_using_subcommand keygen" -l type -d 'The kind of key (default: the one --alg needs)' -r -f -a "hmac\t'A shared secret for HS256/384/512'
rsa\t'An RSA key for RS* and PS*'
ec\t'An ECDSA key for ES256/384/512'
ed25519\t'An Ed25519 key for EdDSA'
x25519\t'An X25519 key for ECDH-ES (only with --use enc)'"
complete -c jwtk -n "__fish_jwtk_using_subcommand keygen" -l bits -d 'Size in bits: hmac 256 (default) to 4096; rsa 2048 (default), 3072, 4096 or 8192' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand keygen" -l curve -d 'The curve of an EC key (default P-256)' -r -f -a "P-256\t'NIST P-256, for ES256'
P-384\t'NIST P-384, for ES384'
P-521\t'NIST P-521, for ES512'"
complete -c jwtk -n "__fish_jwtk_using_subcommand keygen" -l alg -d 'The JWK\'s alg: a JWS algorithm, or with --use enc a JWE key-management algorithm; for hmac it also sizes the secret (HS384: 384 bits, HS512: 512; A128KW: 128)' -r -f -a "HS256\t''
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
ES512\t''
EdDSA\t''
Ed25519\t''
RSA-OAEP\t''
RSA-OAEP-256\t''
ECDH-ES\t''
ECDH-ES+A128KW\t''
ECDH-ES+A192KW\t''
ECDH-ES+A256KW\t''
A128KW\t''
A192KW\t''
A256KW\t''
A128GCMKW\t''
A192GCMKW\t''
A256GCMKW\t''
dir\t''"
complete -c jwtk -n "__fish_jwtk_using_subcommand keygen" -l use -d 'What the key is for: sig (signatures, the default) or enc (encrypted tokens, JWE)' -r -f -a "sig\t'Signatures (JWS)'
enc\t'Encryption (JWE)'"
complete -c jwtk -n "__fish_jwtk_using_subcommand keygen" -l format -d 'Output format (default pem; hmac has no pem, its default is jwk)' -r -f -a "pem\t'PKCS#8 PEM private key, SPKI PEM public key'
jwk\t'A JSON Web Key'
jwks\t'A JSON Web Key Set holding the one key'"
complete -c jwtk -n "__fish_jwtk_using_subcommand keygen" -l out -d 'Write the private key to PATH (0600) and the public key to PATH.pub' -r -F
complete -c jwtk -n "__fish_jwtk_using_subcommand keygen" -l kid -d 'The key id (default: RFC 7638 thumbprint; random for hmac)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand keygen" -l add-to -d 'Append the new private key to this JWKS file (created 0600 if missing)' -r -F
complete -c jwtk -n "__fish_jwtk_using_subcommand keygen" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'Colour when the stream is a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c jwtk -n "__fish_jwtk_using_subcommand keygen" -l force -d 'Replace existing files: both new files are written and synced before either replaces its old one'
complete -c jwtk -n "__fish_jwtk_using_subcommand keygen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtk -n "__fish_jwtk_using_subcommand keygen" -s V -l version -d 'Print version'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and not __fish_seen_subcommand_from list public fetch promote import retire help" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'Colour when the stream is a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and not __fish_seen_subcommand_from list public fetch promote import retire help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and not __fish_seen_subcommand_from list public fetch promote import retire help" -s V -l version -d 'Print version'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and not __fish_seen_subcommand_from list public fetch promote import retire help" -f -a "list" -d 'One line per key: kid, type, alg, use, private or public; which key signs; duplicate kids and keys jwtk cannot use are flagged.'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and not __fish_seen_subcommand_from list public fetch promote import retire help" -f -a "public" -d 'The public JWKS for verifiers: public members only, HMAC keys left out.'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and not __fish_seen_subcommand_from list public fetch promote import retire help" -f -a "fetch" -d 'Save an issuer\'s published public keys to a file, to pin them or use them offline.'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and not __fish_seen_subcommand_from list public fetch promote import retire help" -f -a "promote" -d 'Make one key the signing key (move it first); it must be able to sign.'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and not __fish_seen_subcommand_from list public fetch promote import retire help" -f -a "import" -d 'Add an existing key (any format --key reads) at the end of a keyset; prints its kid.'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and not __fish_seen_subcommand_from list public fetch promote import retire help" -f -a "retire" -d 'Remove one key, keeping the others untouched.'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and not __fish_seen_subcommand_from list public fetch promote import retire help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from list" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'Colour when the stream is a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from list" -l json -d 'Print a JSON array: kid, kty, alg, use, private, signing per key'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from public" -l out -d 'Write to PATH (mode 0644) instead of stdout' -r -F
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from public" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'Colour when the stream is a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from public" -l force -d 'Replace PATH if it exists (atomically)'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from public" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from public" -s V -l version -d 'Print version'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from fetch" -l issuer -d 'Find the JWKS by OIDC discovery (then RFC 8414) of this issuer' -r -f
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from fetch" -l out -d 'Write the public set here (mode 0644) instead of stdout. Example: --out google.jwks' -r -F
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from fetch" -l cacert -d 'Trust the CA certificates in this PEM file too, besides the system\'s' -r -F
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from fetch" -l timeout -d 'Give up a fetch (redirects included) after this long; default 10s, at most 5m' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from fetch" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'Colour when the stream is a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from fetch" -l force -d 'Replace PATH if it exists (atomically)'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from fetch" -l offline -d 'Use only the cache: fetch nothing, whatever the copy\'s age'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from fetch" -l refresh -d 'Ask the server even when the cached copy is fresh'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from fetch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from fetch" -s V -l version -d 'Print version'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from promote" -l kid -d 'The kid of the key that signs from now on' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from promote" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'Colour when the stream is a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from promote" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from promote" -s V -l version -d 'Print version'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from import" -s k -l key -d 'The key file to add: PEM, DER, a JWK, or a raw HMAC secret' -r -F
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from import" -l kid -d 'The kid to give a key that has none' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from import" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'Colour when the stream is a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from retire" -l kid -d 'The kid of the key to remove' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from retire" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'Colour when the stream is a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from retire" -l force -d 'Retire it even if it is the signing key or the last key'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from retire" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from retire" -s V -l version -d 'Print version'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from help" -f -a "list" -d 'One line per key: kid, type, alg, use, private or public; which key signs; duplicate kids and keys jwtk cannot use are flagged.'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from help" -f -a "public" -d 'The public JWKS for verifiers: public members only, HMAC keys left out.'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from help" -f -a "fetch" -d 'Save an issuer\'s published public keys to a file, to pin them or use them offline.'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from help" -f -a "promote" -d 'Make one key the signing key (move it first); it must be able to sign.'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from help" -f -a "import" -d 'Add an existing key (any format --key reads) at the end of a keyset; prints its kid.'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from help" -f -a "retire" -d 'Remove one key, keeping the others untouched.'
complete -c jwtk -n "__fish_jwtk_using_subcommand keyset; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jwtk -n "__fish_jwtk_using_subcommand classify" -l field -d 'Pick the token under this name when the input holds several: a query or fragment parameter, a JSON member, a cookie name or an HTTP header name (Authorization, DPoP). Example: --field id_token' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand classify" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'Colour when the stream is a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c jwtk -n "__fish_jwtk_using_subcommand classify" -l json -d 'Print one JSON object: kind, flow, subject, provider, confidence, evidence, conflicts'
complete -c jwtk -n "__fish_jwtk_using_subcommand classify" -l strict -d 'Exit 1 when the answer has low confidence or conflicts'
complete -c jwtk -n "__fish_jwtk_using_subcommand classify" -l local -d 'Show times in the local time zone too, beside UTC (from TZ, else the system\'s zone). Example: TZ=Europe/Paris jwtk decode --local "$TOKEN"'
complete -c jwtk -n "__fish_jwtk_using_subcommand classify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtk -n "__fish_jwtk_using_subcommand classify" -s V -l version -d 'Print version'
complete -c jwtk -n "__fish_jwtk_using_subcommand present" -l field -d 'Pick the token under this name when the input holds several: a query or fragment parameter, a JSON member, a cookie name or an HTTP header name (Authorization, DPoP). Example: --field id_token' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand present" -l disclose -d 'Disclose the claim at this JSON pointer (repeatable): its disclosure, those of the objects and arrays on the way, and everything inside it. An array index counts the elements as signed, as decode\'s paths do' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand present" -s k -l key -d 'The holder\'s private key (it must be the credential\'s cnf.jwk): appends a KB-JWT' -r -F
complete -c jwtk -n "__fish_jwtk_using_subcommand present" -l kb-aud -d 'The verifier the KB-JWT is for (its aud; required with --key)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand present" -l kb-nonce -d 'The verifier\'s nonce (the KB-JWT\'s nonce; required with --key)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand present" -l alg -d 'The KB-JWT\'s signing algorithm (default: the key\'s own, or its family\'s)' -r -f -a "HS256\t''
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
ES512\t''
EdDSA\t''
Ed25519\t''"
complete -c jwtk -n "__fish_jwtk_using_subcommand present" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'Colour when the stream is a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c jwtk -n "__fish_jwtk_using_subcommand present" -l disclose-all -d 'Disclose every selectively disclosable claim'
complete -c jwtk -n "__fish_jwtk_using_subcommand present" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtk -n "__fish_jwtk_using_subcommand present" -s V -l version -d 'Print version'
complete -c jwtk -n "__fish_jwtk_using_subcommand dpop" -s k -l key -d 'A key file: PEM, DER, JWK, JWKS, an OpenSSH key or a raw HMAC secret, detected from the content; `-` reads it from stdin (not beside a token read from stdin)' -r -F
complete -c jwtk -n "__fish_jwtk_using_subcommand dpop" -l key-env -d 'Read the key material from environment variable VAR' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand dpop" -l secret-encoding -d 'How a raw secret\'s text becomes bytes (default: the bytes as they are); decoded bytes that are key material are refused' -r -f -a "utf8\t'The bytes, which must be UTF-8 text'
base64\t'Standard base64 (padding optional, line breaks allowed)'
base64url\t'base64url (padding optional, line breaks allowed)'
hex\t'Hexadecimal (line breaks allowed)'"
complete -c jwtk -n "__fish_jwtk_using_subcommand dpop" -l kid -d 'Pick the key with this kid out of a JWKS; for verify, out of every source (files, environment, fetched sets): a key without this kid never serves. For mint, a single key without a kid of its own (PEM, DER) takes this kid; without --kid it is named by its RFC 7638 thumbprint' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand dpop" -l alg -d 'The signing algorithm (default: the key\'s own, or its family\'s), e.g. --alg PS256' -r -f -a "HS256\t''
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
ES512\t''
EdDSA\t''
Ed25519\t''"
complete -c jwtk -n "__fish_jwtk_using_subcommand dpop" -l htm -d 'The request\'s HTTP method (htm), exactly as sent, e.g. --htm GET' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand dpop" -l htu -d 'The request\'s URI (htu); query and fragment are left out, e.g. --htu https://api.example.com/x' -r -f
complete -c jwtk -n "__fish_jwtk_using_subcommand dpop" -l ath -d 'The access token the request carries, hashed into ath; - reads it from stdin, e.g. --ath -' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand dpop" -l nonce -d 'The nonce the server gave in DPoP-Nonce, e.g. --nonce eyJ7S_zG.eyJH0-Z.HX4w-7v' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand dpop" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'Colour when the stream is a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c jwtk -n "__fish_jwtk_using_subcommand dpop" -l key-prompt -d 'Type an HMAC secret at the terminal (not echoed)'
complete -c jwtk -n "__fish_jwtk_using_subcommand dpop" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtk -n "__fish_jwtk_using_subcommand dpop" -s V -l version -d 'Print version'
complete -c jwtk -n "__fish_jwtk_using_subcommand serve" -s k -l key -d 'The keyset (JWKS) or key file that signs, re-read when it changes (default: an ephemeral EC P-256 key)' -r -F
complete -c jwtk -n "__fish_jwtk_using_subcommand serve" -l addr -d 'Where to listen, HOST:PORT with an IP address or localhost (default 127.0.0.1:8080); port 0 picks a free one. A non-loopback address needs declared clients' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand serve" -l issuer -d 'The issuer URL clients use (default: http://HOST:PORT of --addr, localhost for 0.0.0.0 and ::); requests for other hosts than its own and loopback get 421' -r -f
complete -c jwtk -n "__fish_jwtk_using_subcommand serve" -l config -d 'The config file (JSON): clients, with their secrets or keys (private_key_jwt), redirect URIs, scopes, audience, claims and ttl, and users\' claims; re-read when it changes' -r -F
complete -c jwtk -n "__fish_jwtk_using_subcommand serve" -l client -d 'Declare a public client (repeatable); declared clients end open mode' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand serve" -l user -d 'The user /authorize signs in when the request has no login_hint (default: user); the config\'s "users" give users their claims' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand serve" -l ttl -d 'Access token lifetime, unless the client\'s config sets one (at most 366d)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand serve" -l jwks-max-age -d 'Cache-Control max-age of /jwks and the discovery documents (at most 1d)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand serve" -l request-timeout -d 'How long a client has to send a whole request before it is cut off, 1s to 5m' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand serve" -l ca-out -d 'Where --tls writes the CA certificate (default: a temporary file, named in a note)' -r -F
complete -c jwtk -n "__fish_jwtk_using_subcommand serve" -l tls-cert -d 'Serve HTTPS with this certificate chain (PEM); needs --tls-key' -r -F
complete -c jwtk -n "__fish_jwtk_using_subcommand serve" -l tls-key -d 'The private key of --tls-cert (PEM)' -r -F
complete -c jwtk -n "__fish_jwtk_using_subcommand serve" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'Colour when the stream is a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c jwtk -n "__fish_jwtk_using_subcommand serve" -l tls -d 'Serve HTTPS with a throwaway CA made at start, limited to the names it serves; its key never leaves memory'
complete -c jwtk -n "__fish_jwtk_using_subcommand serve" -s q -l quiet -d 'Leave out the request log (notes and warnings stay)'
complete -c jwtk -n "__fish_jwtk_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtk -n "__fish_jwtk_using_subcommand serve" -s V -l version -d 'Print version'
complete -c jwtk -n "__fish_jwtk_using_subcommand completions" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'Colour when the stream is a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c jwtk -n "__fish_jwtk_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtk -n "__fish_jwtk_using_subcommand completions" -s V -l version -d 'Print version'
complete -c jwtk -n "__fish_jwtk_using_subcommand help; and not __fish_seen_subcommand_from decode mint verify decrypt keygen keyset classify present dpop serve completions help" -f -a "decode" -d 'Show a token\'s header and claims without verifying anything.'
complete -c jwtk -n "__fish_jwtk_using_subcommand help; and not __fish_seen_subcommand_from decode mint verify decrypt keygen keyset classify present dpop serve completions help" -f -a "mint" -d 'Create and sign a token; print it alone on stdout.'
complete -c jwtk -n "__fish_jwtk_using_subcommand help; and not __fish_seen_subcommand_from decode mint verify decrypt keygen keyset classify present dpop serve completions help" -f -a "verify" -d 'Check a token\'s signature and claims.'
complete -c jwtk -n "__fish_jwtk_using_subcommand help; and not __fish_seen_subcommand_from decode mint verify decrypt keygen keyset classify present dpop serve completions help" -f -a "decrypt" -d 'Decrypt an encrypted token (JWE) and print its plaintext, byte for byte.'
complete -c jwtk -n "__fish_jwtk_using_subcommand help; and not __fish_seen_subcommand_from decode mint verify decrypt keygen keyset classify present dpop serve completions help" -f -a "keygen" -d 'Generate a key: an HMAC secret, or an RSA, EC or Ed25519 key pair.'
complete -c jwtk -n "__fish_jwtk_using_subcommand help; and not __fish_seen_subcommand_from decode mint verify decrypt keygen keyset classify present dpop serve completions help" -f -a "keyset" -d 'List, publish, fetch, import, promote and retire the keys of a JWKS file.'
complete -c jwtk -n "__fish_jwtk_using_subcommand help; and not __fish_seen_subcommand_from decode mint verify decrypt keygen keyset classify present dpop serve completions help" -f -a "classify" -d 'Say what kind of token this is, which OAuth grant issued it, and who its subject is.'
complete -c jwtk -n "__fish_jwtk_using_subcommand help; and not __fish_seen_subcommand_from decode mint verify decrypt keygen keyset classify present dpop serve completions help" -f -a "present" -d 'Make an SD-JWT presentation: only the disclosures asked for, and a KB-JWT with --key.'
complete -c jwtk -n "__fish_jwtk_using_subcommand help; and not __fish_seen_subcommand_from decode mint verify decrypt keygen keyset classify present dpop serve completions help" -f -a "dpop" -d 'Make a DPoP proof (RFC 9449) for one HTTP request; print it alone on stdout.'
complete -c jwtk -n "__fish_jwtk_using_subcommand help; and not __fish_seen_subcommand_from decode mint verify decrypt keygen keyset classify present dpop serve completions help" -f -a "serve" -d 'Run a local OAuth 2.0 issuer and OpenID provider for tests and CI.'
complete -c jwtk -n "__fish_jwtk_using_subcommand help; and not __fish_seen_subcommand_from decode mint verify decrypt keygen keyset classify present dpop serve completions help" -f -a "completions" -d 'Print a shell completion script.'
complete -c jwtk -n "__fish_jwtk_using_subcommand help; and not __fish_seen_subcommand_from decode mint verify decrypt keygen keyset classify present dpop serve completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jwtk -n "__fish_jwtk_using_subcommand help; and __fish_seen_subcommand_from keyset" -f -a "list" -d 'One line per key: kid, type, alg, use, private or public; which key signs; duplicate kids and keys jwtk cannot use are flagged.'
complete -c jwtk -n "__fish_jwtk_using_subcommand help; and __fish_seen_subcommand_from keyset" -f -a "public" -d 'The public JWKS for verifiers: public members only, HMAC keys left out.'
complete -c jwtk -n "__fish_jwtk_using_subcommand help; and __fish_seen_subcommand_from keyset" -f -a "fetch" -d 'Save an issuer\'s published public keys to a file, to pin them or use them offline.'
complete -c jwtk -n "__fish_jwtk_using_subcommand help; and __fish_seen_subcommand_from keyset" -f -a "promote" -d 'Make one key the signing key (move it first); it must be able to sign.'
complete -c jwtk -n "__fish_jwtk_using_subcommand help; and __fish_seen_subcommand_from keyset" -f -a "import" -d 'Add an existing key (any format --key reads) at the end of a keyset; prints its kid.'
complete -c jwtk -n "__fish_jwtk_using_subcommand help; and __fish_seen_subcommand_from keyset" -f -a "retire" -d 'Remove one key, keeping the others untouched.'
