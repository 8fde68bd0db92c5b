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
complete -c jwtk -n "__fish_jwtk_needs_command" -f -a "completions" -d 'Print a shell completion script.'
complete -c jwtk -n "__fish_jwtk_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jwtk -n "__fish_jwtk_using_subcommand decode" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'Colour when the stream is a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c jwtk -n "__fish_jwtk_using_subcommand decode" -l json -d 'Print one JSON object: header, claims, signature, sizes and warnings'
complete -c jwtk -n "__fish_jwtk_using_subcommand decode" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtk -n "__fish_jwtk_using_subcommand decode" -s V -l version -d 'Print version'
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -s k -l key -d 'A key file: PEM, DER, JWK, JWKS or a raw HMAC secret, detected from the content' -r -F
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l key-env -d 'Read the key material from environment variable VAR' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l secret-encoding -d 'How a raw secret\'s text becomes bytes (default: the bytes as they are)' -r -f -a "utf8\t'The bytes, which must be UTF-8 text'
base64\t'Standard base64 (padding optional)'
base64url\t'base64url (padding optional)'
hex\t'Hexadecimal'"
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l kid -d 'Pick the key with this kid out of a JWKS' -r
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
EdDSA\t''"
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
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l typ -d 'The header typ (default JWT; an empty value leaves typ out)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l max-size -d 'Refuse (exit 1) to print a token larger than this many bytes' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'Colour when the stream is a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l key-prompt -d 'Type an HMAC secret at the terminal (not echoed)'
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l no-exp -d 'Make a token that never expires (with a warning)'
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -l no-iat -d 'Leave out iat'
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtk -n "__fish_jwtk_using_subcommand mint" -s V -l version -d 'Print version'
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -s k -l key -d 'A key file: PEM, DER, JWK, JWKS or a raw HMAC secret, detected from the content' -r -F
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l key-env -d 'Read the key material from environment variable VAR' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l secret-encoding -d 'How a raw secret\'s text becomes bytes (default: the bytes as they are)' -r -f -a "utf8\t'The bytes, which must be UTF-8 text'
base64\t'Standard base64 (padding optional)'
base64url\t'base64url (padding optional)'
hex\t'Hexadecimal'"
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l kid -d 'Pick the key with this kid out of a JWKS' -r
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
EdDSA\t''"
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l iss -d 'Require this issuer (repeatable: any one may match)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l aud -d 'Require this audience (repeatable: any one may match)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l sub -d 'Require this subject' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l typ -d 'Require this header typ (case-insensitive, with or without application/)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l require -d 'Require this claim to be present (repeatable)' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l leeway -d 'Allowed clock skew for exp and nbf: 90s, 15m, 2h, 7d or seconds' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l now -d 'Judge the time claims at this instant instead of now' -r
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'Colour when the stream is a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l key-prompt -d 'Type an HMAC secret at the terminal (not echoed)'
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l allow-no-exp -d 'Accept a token without exp'
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -s q -l quiet -d 'Print nothing; the exit code says it all'
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -l json -d 'Print one JSON object: valid, reason, message, alg, kid, header, claims'
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtk -n "__fish_jwtk_using_subcommand verify" -s V -l version -d 'Print version'
complete -c jwtk -n "__fish_jwtk_using_subcommand completions" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never' -r -f -a "auto\t'Colour when the stream is a terminal and NO_COLOR is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c jwtk -n "__fish_jwtk_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jwtk -n "__fish_jwtk_using_subcommand completions" -s V -l version -d 'Print version'
complete -c jwtk -n "__fish_jwtk_using_subcommand help; and not __fish_seen_subcommand_from decode mint verify completions help" -f -a "decode" -d 'Show a token\'s header and claims without verifying anything.'
complete -c jwtk -n "__fish_jwtk_using_subcommand help; and not __fish_seen_subcommand_from decode mint verify completions help" -f -a "mint" -d 'Create and sign a token; print it alone on stdout.'
complete -c jwtk -n "__fish_jwtk_using_subcommand help; and not __fish_seen_subcommand_from decode mint verify completions help" -f -a "verify" -d 'Check a token\'s signature and claims.'
complete -c jwtk -n "__fish_jwtk_using_subcommand help; and not __fish_seen_subcommand_from decode mint verify completions help" -f -a "completions" -d 'Print a shell completion script.'
complete -c jwtk -n "__fish_jwtk_using_subcommand help; and not __fish_seen_subcommand_from decode mint verify completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
