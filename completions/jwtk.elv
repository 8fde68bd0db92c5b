
use builtin;
use str;

set edit:completion:arg-completer[jwtk] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'jwtk'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'jwtk'= {
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand decode 'Show a token''s header and claims without verifying anything.'
            cand mint 'Create and sign a token; print it alone on stdout.'
            cand verify 'Check a token''s signature and claims.'
            cand decrypt 'Decrypt an encrypted token (JWE) and print its plaintext, byte for byte.'
            cand keygen 'Generate a key: an HMAC secret, or an RSA, EC or Ed25519 key pair.'
            cand keyset 'List, publish, fetch, import, promote and retire the keys of a JWKS file.'
            cand classify 'Say what kind of token this is, which OAuth grant issued it, and who its subject is.'
            cand present 'Make an SD-JWT presentation: only the disclosures asked for, and a KB-JWT with --key.'
            cand dpop 'Make a DPoP proof (RFC 9449) for one HTTP request; print it alone on stdout.'
            cand serve 'Run a local OAuth 2.0 issuer and OpenID provider for tests and CI.'
            cand completions 'Print a shell completion script.'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jwtk;decode'= {
            cand --field 'Pick the token under this name when the input holds several: a query or fragment parameter, a JSON member, a cookie name or an HTTP header name (Authorization, DPoP). Example: --field id_token'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand --json 'Print one JSON object: header, claims, signature, sizes and warnings'
            cand --local 'Show times in the local time zone too, beside UTC (from TZ, else the system''s zone). Example: TZ=Europe/Paris jwtk decode --local "$TOKEN"'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtk;mint'= {
            cand -k 'A key file: PEM, DER, JWK, JWKS, an OpenSSH key or a raw HMAC secret, detected from the content; `-` reads it from stdin (not beside a token read from stdin)'
            cand --key 'A key file: PEM, DER, JWK, JWKS, an OpenSSH key or a raw HMAC secret, detected from the content; `-` reads it from stdin (not beside a token read from stdin)'
            cand --key-env 'Read the key material from environment variable VAR'
            cand --secret-encoding 'How a raw secret''s text becomes bytes (default: the bytes as they are); decoded bytes that are key material are refused'
            cand --kid 'Pick the key with this kid out of a JWKS; for verify, out of every source (files, environment, fetched sets): a key without this kid never serves. For mint, a single key without a kid of its own (PEM, DER) takes this kid; without --kid it is named by its RFC 7638 thumbprint'
            cand --alg 'The signing algorithm (default: the key''s own, or its family''s)'
            cand --sub 'The subject (sub)'
            cand --iss 'The issuer (iss)'
            cand --aud 'An audience (aud); repeat for several (one gives a string, several an array)'
            cand --jti 'The token id (jti); `auto` makes a random one'
            cand -c 'A claim: NAME=VALUE sets a string, NAME:=JSON any JSON value. Repeatable'
            cand --claim 'A claim: NAME=VALUE sets a string, NAME:=JSON any JSON value. Repeatable'
            cand --claims 'A JSON object to start from (a file, or - for stdin); flags win over it'
            cand --exp 'Expiry (default +15m)'
            cand --nbf 'Not valid before (nbf)'
            cand --iat 'Issued at (default now)'
            cand --header 'A header parameter: NAME=VALUE or NAME:=JSON. Repeatable'
            cand --typ 'The header typ (default JWT, or the --profile''s; an empty value leaves typ out)'
            cand --profile 'Make a token of this profile: its typ (at+jwt, logout+jwt; JWT for id_token and client_assertion) and a random jti where it needs one; exit 2, naming what is missing, when the claims given can''t meet it'
            cand --max-size 'Refuse (exit 1) to print a token larger than this many bytes. Example: --max-size 4096'
            cand --encrypt-to 'Encrypt the signed token to this recipient key: a nested JWT (JWE, cty JWT)'
            cand --key-alg 'The key-management algorithm of --encrypt-to (default: by the recipient key)'
            cand --enc 'The content-encryption algorithm of --encrypt-to (default A256GCM)'
            cand --encrypt-kid 'Pick the recipient key of an --encrypt-to JWKS by its kid (--kid picks the signing key)'
            cand --sd 'Make the claim at this JSON pointer selectively disclosable (SD-JWT, RFC 9901); repeatable; nested paths nest. The output is the SD-JWT with every disclosure, ending in ~'
            cand --sd-decoys 'Add N decoy digests to each _sd array (default 0), so their count reveals nothing'
            cand --sd-alg 'The hash of the disclosures'' digests (_sd_alg): sha-256 (default), sha-384 or sha-512'
            cand --holder-key 'The holder''s key, whose public members (only) go into cnf.jwk, for key binding'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand --key-prompt 'Type an HMAC secret at the terminal (not echoed)'
            cand --no-exp 'Make a token that never expires (with a warning)'
            cand --no-iat 'Leave out iat'
            cand --json 'Print one JSON object instead of the bare token: token, header, claims, exp, kid. Example: jwtk mint --key k.pem --json | jq -r .token'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtk;verify'= {
            cand --field 'Pick the token under this name when the input holds several: a query or fragment parameter, a JSON member, a cookie name or an HTTP header name (Authorization, DPoP). Example: --field id_token'
            cand -k 'A key file: PEM, DER, JWK, JWKS, an OpenSSH key or a raw HMAC secret, detected from the content; `-` reads it from stdin (not beside a token read from stdin)'
            cand --key 'A key file: PEM, DER, JWK, JWKS, an OpenSSH key or a raw HMAC secret, detected from the content; `-` reads it from stdin (not beside a token read from stdin)'
            cand --key-env 'Read the key material from environment variable VAR'
            cand --secret-encoding 'How a raw secret''s text becomes bytes (default: the bytes as they are); decoded bytes that are key material are refused'
            cand --kid 'Pick the key with this kid out of a JWKS; for verify, out of every source (files, environment, fetched sets): a key without this kid never serves. For mint, a single key without a kid of its own (PEM, DER) takes this kid; without --kid it is named by its RFC 7638 thumbprint'
            cand --jwks 'Fetch a JWKS over HTTPS from URL (repeatable, beside --key), through the cache'
            cand --issuer 'Fetch the issuer''s keys by OIDC discovery (then RFC 8414) and require iss = URL'
            cand --cacert 'Trust the CA certificates in this PEM file too, besides the system''s'
            cand --timeout 'Give up a fetch (redirects included) after this long; default 10s, at most 5m'
            cand --alg 'Allow this algorithm (repeatable); default: the algorithms the keys fit'
            cand --iss 'Require this issuer (repeatable: any one may match)'
            cand --aud 'Require this audience (repeatable: any one may match)'
            cand --sub 'Require this subject'
            cand --typ 'Require this header typ (case-insensitive, with or without application/)'
            cand --require 'Require this claim to be present and not null (repeatable)'
            cand --leeway 'Allowed clock skew for exp and nbf: 90s, 15m, 2h, 7d or seconds'
            cand --now 'Judge the time claims at this instant instead of now'
            cand --jobs 'Worker threads for --batch, 1 to 256 (default: one per core, at most 256)'
            cand --decrypt-key 'Decrypt a JWE with this key first, then verify the nested JWT inside (repeatable)'
            cand --profile 'Check the token against a specification''s profile too (once)'
            cand --nonce 'id_token: the nonce sent in the authentication request, which nonce must equal'
            cand --access-token 'id_token: the access token issued with it, which at_hash must match; - reads stdin (one trailing newline removed)'
            cand --code 'id_token: the authorization code issued with it, which c_hash must match'
            cand --max-age 'id_token: auth_time must be present and no older than this (the max_age sent)'
            cand --client-id 'id_token: aud must hold this client id (it stands for --aud); client_assertion: iss and sub must be it'
            cand --dpop 'Check this DPoP proof (the request''s DPoP header) too, e.g. --dpop "$PROOF"'
            cand --htm 'The request''s HTTP method, which the proof''s htm must equal, e.g. --htm GET'
            cand --htu 'The request''s URI, which the proof''s htu must name, e.g. --htu https://api.example.com/x'
            cand --dpop-alg 'Allow this proof algorithm (repeatable), e.g. --dpop-alg ES384; default ES256, EdDSA, RS256, PS256'
            cand --dpop-max-age 'How old a proof may be (the leeway comes on top), e.g. --dpop-max-age 1m'
            cand --dpop-nonce 'The nonce the server gave (DPoP-Nonce), which the proof must carry, e.g. --dpop-nonce n1'
            cand --kb-nonce 'The nonce this verifier gave the holder, which the KB-JWT''s nonce must equal'
            cand --kb-aud 'This verifier''s identifier, which the KB-JWT''s aud must equal'
            cand --kb-max-age 'How old a KB-JWT''s iat may be (the leeway comes on top)'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand --key-prompt 'Type an HMAC secret at the terminal (not echoed)'
            cand --offline 'Use only the cache: fetch nothing, whatever the copy''s age'
            cand --refresh 'Ask the server even when the cached copy is fresh'
            cand --allow-no-exp 'Accept a token without exp'
            cand -q 'Print nothing; the exit code says it all'
            cand --quiet 'Print nothing; the exit code says it all'
            cand --batch 'Verify one token per line of stdin; print one JSON object per line, in order, with "line": N; counts on stderr. Exit 0 when all are valid, 1 when any is not'
            cand --json 'Print one JSON object: valid, reason, message, alg, kid, key, header, claims'
            cand --local 'Show times in the local time zone too, beside UTC (from TZ, else the system''s zone). Example: TZ=Europe/Paris jwtk decode --local "$TOKEN"'
            cand --require-kb 'Reject an SD-JWT presented without a KB-JWT'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtk;decrypt'= {
            cand --field 'Pick the token under this name when the input holds several: a query or fragment parameter, a JSON member, a cookie name or an HTTP header name (Authorization, DPoP). Example: --field id_token'
            cand -k 'A key file: PEM, DER, JWK, JWKS, an OpenSSH key or a raw HMAC secret, detected from the content; `-` reads it from stdin (not beside a token read from stdin)'
            cand --key 'A key file: PEM, DER, JWK, JWKS, an OpenSSH key or a raw HMAC secret, detected from the content; `-` reads it from stdin (not beside a token read from stdin)'
            cand --key-env 'Read the key material from environment variable VAR'
            cand --secret-encoding 'How a raw secret''s text becomes bytes (default: the bytes as they are); decoded bytes that are key material are refused'
            cand --kid 'Pick the key with this kid out of a JWKS; for verify, out of every source (files, environment, fetched sets): a key without this kid never serves. For mint, a single key without a kid of its own (PEM, DER) takes this kid; without --kid it is named by its RFC 7638 thumbprint'
            cand --alg 'Allow this key-management algorithm (repeatable); default: those the keys fit'
            cand --enc 'Allow this content-encryption algorithm (repeatable); default: all six'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand --key-prompt 'Type an HMAC secret at the terminal (not echoed)'
            cand --json 'Print one JSON object: decrypted, header, plaintext (or plaintext_b64), nested'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtk;keygen'= {
            cand --type 'The kind of key (default: the one --alg needs)'
            cand --bits 'Size in bits: hmac 256 (default) to 4096; rsa 2048 (default), 3072, 4096 or 8192'
            cand --curve 'The curve of an EC key (default P-256)'
            cand --alg 'The JWK''s alg: a JWS algorithm, or with --use enc a JWE key-management algorithm; for hmac it also sizes the secret (HS384: 384 bits, HS512: 512; A128KW: 128)'
            cand --use 'What the key is for: sig (signatures, the default) or enc (encrypted tokens, JWE)'
            cand --format 'Output format (default pem; hmac has no pem, its default is jwk)'
            cand --out 'Write the private key to PATH (0600) and the public key to PATH.pub'
            cand --kid 'The key id (default: RFC 7638 thumbprint; random for hmac)'
            cand --add-to 'Append the new private key to this JWKS file (created 0600 if missing)'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand --force 'Replace existing files: both new files are written and synced before either replaces its old one'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtk;keyset'= {
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'One line per key: kid, type, alg, use, private or public; which key signs; duplicate kids and keys jwtk cannot use are flagged.'
            cand public 'The public JWKS for verifiers: public members only, HMAC keys left out.'
            cand fetch 'Save an issuer''s published public keys to a file, to pin them or use them offline.'
            cand promote 'Make one key the signing key (move it first); it must be able to sign.'
            cand import 'Add an existing key (any format --key reads) at the end of a keyset; prints its kid.'
            cand retire 'Remove one key, keeping the others untouched.'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jwtk;keyset;list'= {
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand --json 'Print a JSON array: kid, kty, alg, use, private, signing per key'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtk;keyset;public'= {
            cand --out 'Write to PATH (mode 0644) instead of stdout'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand --force 'Replace PATH if it exists (atomically)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtk;keyset;fetch'= {
            cand --issuer 'Find the JWKS by OIDC discovery (then RFC 8414) of this issuer'
            cand --out 'Write the public set here (mode 0644) instead of stdout. Example: --out google.jwks'
            cand --cacert 'Trust the CA certificates in this PEM file too, besides the system''s'
            cand --timeout 'Give up a fetch (redirects included) after this long; default 10s, at most 5m'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand --force 'Replace PATH if it exists (atomically)'
            cand --offline 'Use only the cache: fetch nothing, whatever the copy''s age'
            cand --refresh 'Ask the server even when the cached copy is fresh'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtk;keyset;promote'= {
            cand --kid 'The kid of the key that signs from now on'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtk;keyset;import'= {
            cand -k 'The key file to add: PEM, DER, a JWK, or a raw HMAC secret'
            cand --key 'The key file to add: PEM, DER, a JWK, or a raw HMAC secret'
            cand --kid 'The kid to give a key that has none'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtk;keyset;retire'= {
            cand --kid 'The kid of the key to remove'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand --force 'Retire it even if it is the signing key or the last key'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtk;keyset;help'= {
            cand list 'One line per key: kid, type, alg, use, private or public; which key signs; duplicate kids and keys jwtk cannot use are flagged.'
            cand public 'The public JWKS for verifiers: public members only, HMAC keys left out.'
            cand fetch 'Save an issuer''s published public keys to a file, to pin them or use them offline.'
            cand promote 'Make one key the signing key (move it first); it must be able to sign.'
            cand import 'Add an existing key (any format --key reads) at the end of a keyset; prints its kid.'
            cand retire 'Remove one key, keeping the others untouched.'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jwtk;keyset;help;list'= {
        }
        &'jwtk;keyset;help;public'= {
        }
        &'jwtk;keyset;help;fetch'= {
        }
        &'jwtk;keyset;help;promote'= {
        }
        &'jwtk;keyset;help;import'= {
        }
        &'jwtk;keyset;help;retire'= {
        }
        &'jwtk;keyset;help;help'= {
        }
        &'jwtk;classify'= {
            cand --field 'Pick the token under this name when the input holds several: a query or fragment parameter, a JSON member, a cookie name or an HTTP header name (Authorization, DPoP). Example: --field id_token'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand --json 'Print one JSON object: kind, flow, subject, provider, confidence, evidence, conflicts'
            cand --strict 'Exit 1 when the answer has low confidence or conflicts'
            cand --local 'Show times in the local time zone too, beside UTC (from TZ, else the system''s zone). Example: TZ=Europe/Paris jwtk decode --local "$TOKEN"'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtk;present'= {
            cand --field 'Pick the token under this name when the input holds several: a query or fragment parameter, a JSON member, a cookie name or an HTTP header name (Authorization, DPoP). Example: --field id_token'
            cand --disclose 'Disclose the claim at this JSON pointer (repeatable): its disclosure, those of the objects and arrays on the way, and everything inside it. An array index counts the elements as signed, as decode''s paths do'
            cand -k 'The holder''s private key (it must be the credential''s cnf.jwk): appends a KB-JWT'
            cand --key 'The holder''s private key (it must be the credential''s cnf.jwk): appends a KB-JWT'
            cand --kb-aud 'The verifier the KB-JWT is for (its aud; required with --key)'
            cand --kb-nonce 'The verifier''s nonce (the KB-JWT''s nonce; required with --key)'
            cand --alg 'The KB-JWT''s signing algorithm (default: the key''s own, or its family''s)'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand --disclose-all 'Disclose every selectively disclosable claim'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtk;dpop'= {
            cand -k 'A key file: PEM, DER, JWK, JWKS, an OpenSSH key or a raw HMAC secret, detected from the content; `-` reads it from stdin (not beside a token read from stdin)'
            cand --key 'A key file: PEM, DER, JWK, JWKS, an OpenSSH key or a raw HMAC secret, detected from the content; `-` reads it from stdin (not beside a token read from stdin)'
            cand --key-env 'Read the key material from environment variable VAR'
            cand --secret-encoding 'How a raw secret''s text becomes bytes (default: the bytes as they are); decoded bytes that are key material are refused'
            cand --kid 'Pick the key with this kid out of a JWKS; for verify, out of every source (files, environment, fetched sets): a key without this kid never serves. For mint, a single key without a kid of its own (PEM, DER) takes this kid; without --kid it is named by its RFC 7638 thumbprint'
            cand --alg 'The signing algorithm (default: the key''s own, or its family''s), e.g. --alg PS256'
            cand --htm 'The request''s HTTP method (htm), exactly as sent, e.g. --htm GET'
            cand --htu 'The request''s URI (htu); query and fragment are left out, e.g. --htu https://api.example.com/x'
            cand --ath 'The access token the request carries, hashed into ath; - reads it from stdin, e.g. --ath -'
            cand --nonce 'The nonce the server gave in DPoP-Nonce, e.g. --nonce eyJ7S_zG.eyJH0-Z.HX4w-7v'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand --key-prompt 'Type an HMAC secret at the terminal (not echoed)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtk;serve'= {
            cand -k 'The keyset (JWKS) or key file that signs, re-read when it changes (default: an ephemeral EC P-256 key)'
            cand --key 'The keyset (JWKS) or key file that signs, re-read when it changes (default: an ephemeral EC P-256 key)'
            cand --addr 'Where to listen, HOST:PORT with an IP address or localhost (default 127.0.0.1:8080); port 0 picks a free one. A non-loopback address needs declared clients'
            cand --issuer 'The issuer URL clients use (default: http://HOST:PORT of --addr, localhost for 0.0.0.0 and ::); requests for other hosts than its own and loopback get 421'
            cand --config 'The config file (JSON): clients, with their secrets or keys (private_key_jwt), redirect URIs, scopes, audience, claims and ttl, and users'' claims; re-read when it changes'
            cand --client 'Declare a public client (repeatable); declared clients end open mode'
            cand --user 'The user /authorize signs in when the request has no login_hint (default: user); the config''s "users" give users their claims'
            cand --ttl 'Access token lifetime, unless the client''s config sets one (at most 366d)'
            cand --jwks-max-age 'Cache-Control max-age of /jwks and the discovery documents (at most 1d)'
            cand --request-timeout 'How long a client has to send a whole request before it is cut off, 1s to 5m'
            cand --ca-out 'Where --tls writes the CA certificate (default: a temporary file, named in a note)'
            cand --tls-cert 'Serve HTTPS with this certificate chain (PEM); needs --tls-key'
            cand --tls-key 'The private key of --tls-cert (PEM)'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand --tls 'Serve HTTPS with a throwaway CA made at start, limited to the names it serves; its key never leaves memory'
            cand -q 'Leave out the request log (notes and warnings stay)'
            cand --quiet 'Leave out the request log (notes and warnings stay)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtk;completions'= {
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtk;help'= {
            cand decode 'Show a token''s header and claims without verifying anything.'
            cand mint 'Create and sign a token; print it alone on stdout.'
            cand verify 'Check a token''s signature and claims.'
            cand decrypt 'Decrypt an encrypted token (JWE) and print its plaintext, byte for byte.'
            cand keygen 'Generate a key: an HMAC secret, or an RSA, EC or Ed25519 key pair.'
            cand keyset 'List, publish, fetch, import, promote and retire the keys of a JWKS file.'
            cand classify 'Say what kind of token this is, which OAuth grant issued it, and who its subject is.'
            cand present 'Make an SD-JWT presentation: only the disclosures asked for, and a KB-JWT with --key.'
            cand dpop 'Make a DPoP proof (RFC 9449) for one HTTP request; print it alone on stdout.'
            cand serve 'Run a local OAuth 2.0 issuer and OpenID provider for tests and CI.'
            cand completions 'Print a shell completion script.'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jwtk;help;decode'= {
        }
        &'jwtk;help;mint'= {
        }
        &'jwtk;help;verify'= {
        }
        &'jwtk;help;decrypt'= {
        }
        &'jwtk;help;keygen'= {
        }
        &'jwtk;help;keyset'= {
            cand list 'One line per key: kid, type, alg, use, private or public; which key signs; duplicate kids and keys jwtk cannot use are flagged.'
            cand public 'The public JWKS for verifiers: public members only, HMAC keys left out.'
            cand fetch 'Save an issuer''s published public keys to a file, to pin them or use them offline.'
            cand promote 'Make one key the signing key (move it first); it must be able to sign.'
            cand import 'Add an existing key (any format --key reads) at the end of a keyset; prints its kid.'
            cand retire 'Remove one key, keeping the others untouched.'
        }
        &'jwtk;help;keyset;list'= {
        }
        &'jwtk;help;keyset;public'= {
        }
        &'jwtk;help;keyset;fetch'= {
        }
        &'jwtk;help;keyset;promote'= {
        }
        &'jwtk;help;keyset;import'= {
        }
        &'jwtk;help;keyset;retire'= {
        }
        &'jwtk;help;classify'= {
        }
        &'jwtk;help;present'= {
        }
        &'jwtk;help;dpop'= {
        }
        &'jwtk;help;serve'= {
        }
        &'jwtk;help;completions'= {
        }
        &'jwtk;help;help'= {
        }
    ]
    $completions[$command]
}
