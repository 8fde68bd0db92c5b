#!/usr/bin/env bash
# Whole-process comparisons, side by side in one run:
#   jwtk vs a `fn main(){}` binary, jwtk vs jwt-cli (decode), and --batch throughput per
#   algorithm with 1 and 2 worker threads.
# Usage: benches/compare.sh [N]     (N HS256 tokens for the batch run; default 200000)
# Needs: cargo, hyperfine (Debian: apt-get install hyperfine); jwt-cli is installed with
# `cargo install` into a temporary folder (kept in target/compare/ for later runs).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200000}
work=target/compare
mkdir -p "$work"

echo "== building (release)"
cargo build --release --quiet --bin jwtk --example tokens
cargo release-static --quiet   # alias in .cargo/config.toml: glibc linked statically
printf 'fn main(){}\n' > "$work/hello.rs"
rustc -O -o "$work/hello" "$work/hello.rs"
if [ ! -x "$work/jwt-cli/bin/jwt" ]; then
  echo "== installing jwt-cli into $work/jwt-cli"
  cargo install --quiet --locked --root "$work/jwt-cli" jwt-cli
fi
jwtk=target/release/jwtk
static=target/x86_64-unknown-linux-gnu/release/jwtk
jwt=$work/jwt-cli/bin/jwt
keys=tests/fixtures/keys
ls -l "$jwtk" | awk '{print "jwtk release binary: " $5 " bytes"}'

echo "== single commands (hyperfine, whole process)"
token=$(JWTK_KEY=$(cat $keys/secret-newline.txt) $jwtk mint --sub bench --exp +1d)
ec_token=$($jwtk mint -k $keys/ec-p256-sec1.pem --sub bench --exp +1d)
hyperfine -N --warmup 50 --runs 500 --export-markdown "$work/single.md" \
  "$work/hello" \
  "$jwtk decode --json $token" \
  "$static decode --json $token" \
  "$jwt decode --json $token" \
  "$jwtk verify --key $keys/ec-p256-spki.pem $ec_token" \
  "$static verify --key $keys/ec-p256-spki.pem $ec_token" \
  "$jwtk classify $token" \
  "$static classify $token" \
  "$jwtk mint --key $keys/ec-p256-sec1.pem" \
  "$static mint --key $keys/ec-p256-sec1.pem" \
  "$jwtk mint --key $keys/ed25519-pkcs8.pem"
cat "$work/single.md"

echo "== --batch throughput (median of 5 runs, whole process, stdin to JSON lines)"
batch() { # key alg count verify-key
  target/release/examples/tokens "$keys/$1" "$2" "$3" > "$work/tokens-$2.txt"
  for jobs in 1 2; do
    times=()
    for _ in 1 2 3 4 5; do
      start=$(date +%s.%N)
      $jwtk verify --key "$keys/$4" --batch --jobs $jobs < "$work/tokens-$2.txt" > /dev/null 2>&1 || true
      end=$(date +%s.%N)
      times+=("$(echo "$end - $start" | bc -l)")
    done
    median=$(printf '%s\n' "${times[@]}" | sort -g | sed -n 3p)
    rate=$(echo "$3 / $median" | bc -l)
    printf '%-6s jobs=%d  %8.0f tokens/s  (%d tokens in %.3f s)\n' "$2" "$jobs" "$rate" "$3" "$median"
    eval "rate_$2_$jobs=$rate"
  done
  printf '%-6s 2 threads vs 1: %.2fx\n' "$2" "$(eval echo "\$rate_$2_2 / \$rate_$2_1" | bc -l)"
}
batch secret-newline.txt HS256 "$N" secret-newline.txt
batch rsa-2048-pkcs1.pem RS256 $((N / 4)) rsa-2048-spki.pem
batch ec-p256-sec1.pem ES256 $((N / 8)) ec-p256-spki.pem
batch ed25519-pkcs8.pem EdDSA $((N / 4)) ed25519-spki.pem
