#!/usr/bin/env bash
# Whole-process comparisons, side by side in one run (compare ratios, never absolute rates:
# the machine is shared and its speed moves):
#
# 1. `verify --batch` throughput per algorithm (HS256, RS256, ES256, EdDSA), against two
#    reference loops of the jwt-floor program: `raw` (base64url-decode the signature and verify
#    it with a key parsed once: the crypto floor) and `jsonwebtoken` (jsonwebtoken::decode in a
#    loop with exp, aud and iss checked). The references read every token into memory first
#    and time only the verification; jwtk is timed as a whole process reading stdin and writing
#    a JSON line per token. Rounds alternate the three programs; each figure is the median.
# 2. Single commands (one hyperfine run): jwtk against a `fn main(){}` process and jwt-cli's
#    `decode`, in the build `cargo install --path .` makes (target/release/jwtk); `--version`
#    of both shows what loading and starting each binary costs before any work, and the
#    static-pie build (`cargo release-static`) is timed too when it exists.
#
# Usage: benches/compare.sh [--floor DIR] [--jobs N] [--rounds R] [TOKENS]
#   --floor DIR   the jwt-floor program's source (its Cargo.toml), or set JWT_FLOOR; built
#                 into target/floor. Without it, the reference columns are left out.
#   --jobs N      threads for jwtk and the references (default 2)
#   --rounds R    rounds per algorithm (default 5; the median is shown)
#   JWTK=PATH     (environment) time this jwtk binary instead of target/release/jwtk, e.g. an
#                 older build kept for a before/after run
#   TOKENS        HS256 tokens per run (default 200000; RS256 and EdDSA use a quarter, ES256
#                 an eighth)
# Needs: cargo, python3, hyperfine (Debian: apt-get install hyperfine, or
# `cargo install --locked hyperfine@1.20.0`); jwt-cli is installed with `cargo install` into
# target/compare/jwt-cli on the first run.
set -euo pipefail
cd "$(dirname "$0")/.."

floor_dir=${JWT_FLOOR:-}
jobs=2
rounds=5
N=200000
while [ $# -gt 0 ]; do
  case $1 in
    --floor) floor_dir=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    *) N=$1; shift ;;
  esac
done
work=target/compare
mkdir -p "$work"

echo "== building (release)" >&2
cargo build --release --quiet --bin jwtk --example tokens
floor=
if [ -n "$floor_dir" ]; then
  CARGO_TARGET_DIR=target/floor AWS_LC_SYS_NO_JITTER_ENTROPY=1 \
    cargo build --release --quiet --manifest-path "$floor_dir/Cargo.toml"
  floor=target/floor/release/jwt-floor
fi
printf 'fn main(){}\n' > "$work/hello.rs"
rustc -O -o "$work/hello" "$work/hello.rs"
if [ ! -x "$work/jwt-cli/bin/jwt" ]; then
  echo "== installing jwt-cli into $work/jwt-cli" >&2
  cargo install --quiet --locked --root "$work/jwt-cli" jwt-cli
fi
jwtk=${JWTK:-target/release/jwtk}
jwt=$work/jwt-cli/bin/jwt
keys=tests/fixtures/keys
# The references read the secret file raw, newline and all: give both the same bytes.
printf 'a-benchmark-secret-of-forty-bytes-long!!' > "$work/hs.key"

# Tokens per second of one whole jwtk process over a token file.
jwtk_rate() { # verify-key tokens-file count [extra verify flags]
  local key=$1 file=$2 count=$3 start end
  shift 3
  start=$(date +%s%N)
  $jwtk verify --key "$key" "$@" --aud ws-api --iss https://issuer.example \
    --batch --jobs "$jobs" < "$file" > /dev/null 2>&1 || true
  end=$(date +%s%N)
  echo "$count $start $end" | awk '{printf "%.0f\n", $1 / (($3 - $2) / 1e9)}'
}

median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

printf '\n== verify --batch, %s threads, tokens/s (median of %s rounds, alternating)\n\n' "$jobs" "$rounds"
printf '| alg | jwtk --batch | raw floor | jwtk / floor | jsonwebtoken loop | jwtk / loop |\n'
printf '|---|---:|---:|---:|---:|---:|\n'
row() { # alg signing-key verify-key count [extra jwtk flags]
  local alg=$1 sign=$2 pub=$3 count=$4 file="$work/tokens-$1.txt"
  shift 4
  target/release/examples/tokens "$sign" "$alg" "$count" > "$file"
  local j=() r=() l=()
  for _ in $(seq "$rounds"); do
    j+=("$(jwtk_rate "$pub" "$file" "$count" "$@")")
    if [ -n "$floor" ]; then
      r+=("$($floor raw "$alg" "$pub" "$file" "$jobs" | cut -d' ' -f1)")
      l+=("$($floor jsonwebtoken "$alg" "$pub" "$file" "$jobs" | cut -d' ' -f1)")
    fi
  done
  local jm rm lm
  jm=$(printf '%s\n' "${j[@]}" | median)
  if [ -n "$floor" ]; then
    rm=$(printf '%s\n' "${r[@]}" | median)
    lm=$(printf '%s\n' "${l[@]}" | median)
    awk -v a="$alg" -v j="$jm" -v r="$rm" -v l="$lm" 'BEGIN {
      printf "| %s | %.1fk/s | %.1fk/s | %.2f | %.1fk/s | %.2f |\n", a, j/1e3, r/1e3, j/r, l/1e3, j/l }'
  else
    awk -v a="$alg" -v j="$jm" 'BEGIN { printf "| %s | %.1fk/s | | | | |\n", a, j/1e3 }'
  fi
}
row HS256 "$work/hs.key" "$work/hs.key" "$N" --alg HS256
row RS256 $keys/rsa-2048-pkcs1.pem $keys/rsa-2048-spki.pem $((N / 4))
row ES256 $keys/ec-p256-sec1.pem $keys/ec-p256-spki.pem $((N / 8))
row EdDSA $keys/ed25519-pkcs8.pem $keys/ed25519-spki.pem $((N / 4))

printf '\n== single commands (one hyperfine run, whole process)\n\n'
hs_token=$(head -n1 "$work/tokens-HS256.txt")
es_token=$(head -n1 "$work/tokens-ES256.txt")
names=(hello-world "jwt-cli decode" "jwtk decode" "jwtk decode --json" "jwtk verify HS256"
  "jwtk verify ES256" "jwtk mint ES256" "jwtk classify" "jwt-cli --version" "jwtk --version")
commands=("$work/hello" "$jwt decode $hs_token" "$jwtk decode $hs_token"
  "$jwtk decode --json $hs_token" "$jwtk verify --alg HS256 --key $work/hs.key $hs_token"
  "$jwtk verify --key $keys/ec-p256-spki.pem $es_token"
  "$jwtk mint --key $keys/ec-p256-sec1.pem --sub bench" "$jwtk classify $hs_token"
  "$jwt --version" "$jwtk --version")
# The static-pie build (`cargo release-static`), when it has been built: the same commands
# without the dynamic loader's work.
static=target/x86_64-unknown-linux-gnu/release/jwtk
if [ -x "$static" ]; then
  names+=("static: jwtk decode" "static: jwtk verify ES256" "static: jwtk mint ES256")
  commands+=("$static decode $hs_token" "$static verify --key $keys/ec-p256-spki.pem $es_token"
    "$static mint --key $keys/ec-p256-sec1.pem --sub bench")
fi
hyperfine -N --warmup 50 --runs 300 --export-json "$work/single.json" "${commands[@]}" > /dev/null
python3 - "$work/single.json" "${names[@]}" <<'EOF'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
names = sys.argv[2:]
mean = [r["mean"] * 1e3 for r in results]
hello, jwtcli = mean[0], mean[1]
print("| command | mean | / hello-world | / jwt-cli decode |")
print("|---|---:|---:|---:|")
for name, ms in zip(names, mean):
    print(f"| {name} | {ms:.2f} ms | {ms / hello:.2f} | {ms / jwtcli:.2f} |")
EOF
