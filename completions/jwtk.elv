
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
        &'jwtk;completions'= {
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always or never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jwtk;help'= {
            cand decode 'Show a token''s header and claims without verifying anything.'
            cand completions 'Print a shell completion script.'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jwtk;help;decode'= {
        }
        &'jwtk;help;completions'= {
        }
        &'jwtk;help;help'= {
        }
    ]
    $completions[$command]
}
