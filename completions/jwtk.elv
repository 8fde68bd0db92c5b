
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
            cand keyset 'List, publish and retire the keys of a JWKS file.'
            cand classify 'Say what kind of token this is, which OAuth grant issued it, and who its subject is.'
            cand completions 'Print a shell completion script.'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jwtk;decode'= {
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand --json 'Print one JSON object: header, claims, signature, sizes and warnings'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtk;mint'= {
            cand -k 'A key file: PEM, DER, JWK, JWKS or a raw HMAC secret, detected from the content'
            cand --key 'A key file: PEM, DER, JWK, JWKS or a raw HMAC secret, detected from the content'
            cand --key-env 'Read the key material from environment variable VAR'
            cand --secret-encoding 'How a raw secret''s text becomes bytes (default: the bytes as they are)'
            cand --kid 'Pick the key with this kid out of a JWKS'
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
            cand --typ 'The header typ (default JWT; an empty value leaves typ out)'
            cand --max-size 'Refuse (exit 1) to print a token larger than this many bytes'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand --key-prompt 'Type an HMAC secret at the terminal (not echoed)'
            cand --no-exp 'Make a token that never expires (with a warning)'
            cand --no-iat 'Leave out iat'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtk;verify'= {
            cand -k 'A key file: PEM, DER, JWK, JWKS or a raw HMAC secret, detected from the content'
            cand --key 'A key file: PEM, DER, JWK, JWKS or a raw HMAC secret, detected from the content'
            cand --key-env 'Read the key material from environment variable VAR'
            cand --secret-encoding 'How a raw secret''s text becomes bytes (default: the bytes as they are)'
            cand --kid 'Pick the key with this kid out of a JWKS'
            cand --alg 'Allow this algorithm (repeatable); default: the algorithms the keys fit'
            cand --iss 'Require this issuer (repeatable: any one may match)'
            cand --aud 'Require this audience (repeatable: any one may match)'
            cand --sub 'Require this subject'
            cand --typ 'Require this header typ (case-insensitive, with or without application/)'
            cand --require 'Require this claim to be present and not null (repeatable)'
            cand --leeway 'Allowed clock skew for exp and nbf: 90s, 15m, 2h, 7d or seconds'
            cand --now 'Judge the time claims at this instant instead of now'
            cand --jobs 'Worker threads for --batch (default: one per core)'
            cand --decrypt-key 'Decrypt a JWE with this key first, then verify the nested JWT inside (repeatable)'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand --key-prompt 'Type an HMAC secret at the terminal (not echoed)'
            cand --allow-no-exp 'Accept a token without exp'
            cand -q 'Print nothing; the exit code says it all'
            cand --quiet 'Print nothing; the exit code says it all'
            cand --batch 'Verify one token per line of stdin; print one JSON object per line, in order, with "line": N; counts on stderr. Exit 0 when all are valid, 1 when any is not'
            cand --json 'Print one JSON object: valid, reason, message, alg, kid, header, claims'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtk;decrypt'= {
            cand -k 'A key file: PEM, DER, JWK, JWKS or a raw HMAC secret, detected from the content'
            cand --key 'A key file: PEM, DER, JWK, JWKS or a raw HMAC secret, detected from the content'
            cand --key-env 'Read the key material from environment variable VAR'
            cand --secret-encoding 'How a raw secret''s text becomes bytes (default: the bytes as they are)'
            cand --kid 'Pick the key with this kid out of a JWKS'
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
            cand --bits 'Size in bits: hmac at least 256 (default 256); rsa 2048 (default), 3072, 4096 or 8192'
            cand --curve 'The curve of an EC key (default P-256)'
            cand --alg 'The JWK''s alg; for hmac it also sizes the secret (HS384: 384 bits, HS512: 512)'
            cand --format 'Output format (default pem; hmac has no pem, its default is jwk)'
            cand --out 'Write the private key to PATH (0600) and the public key to PATH.pub'
            cand --kid 'The key id (default: RFC 7638 thumbprint; random for hmac)'
            cand --add-to 'Append the new private key to this JWKS file (created 0600 if missing)'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand --force 'Replace existing files (atomically)'
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
            cand list 'One line per key: kid, type, alg, use, private or public.'
            cand public 'The public JWKS for verifiers: private members removed, HMAC keys left out.'
            cand retire 'Remove one key, keeping the others untouched.'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jwtk;keyset;list'= {
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
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
        &'jwtk;keyset;retire'= {
            cand --kid 'The kid of the key to remove'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtk;keyset;help'= {
            cand list 'One line per key: kid, type, alg, use, private or public.'
            cand public 'The public JWKS for verifiers: private members removed, HMAC keys left out.'
            cand retire 'Remove one key, keeping the others untouched.'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jwtk;keyset;help;list'= {
        }
        &'jwtk;keyset;help;public'= {
        }
        &'jwtk;keyset;help;retire'= {
        }
        &'jwtk;keyset;help;help'= {
        }
        &'jwtk;classify'= {
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand --json 'Print one JSON object: kind, flow, subject, provider, confidence, evidence, conflicts'
            cand --strict 'Exit 1 when the answer has low confidence or conflicts'
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
            cand keyset 'List, publish and retire the keys of a JWKS file.'
            cand classify 'Say what kind of token this is, which OAuth grant issued it, and who its subject is.'
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
            cand list 'One line per key: kid, type, alg, use, private or public.'
            cand public 'The public JWKS for verifiers: private members removed, HMAC keys left out.'
            cand retire 'Remove one key, keeping the others untouched.'
        }
        &'jwtk;help;keyset;list'= {
        }
        &'jwtk;help;keyset;public'= {
        }
        &'jwtk;help;keyset;retire'= {
        }
        &'jwtk;help;classify'= {
        }
        &'jwtk;help;completions'= {
        }
        &'jwtk;help;help'= {
        }
    ]
    $completions[$command]
}
