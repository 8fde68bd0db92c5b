#!/usr/bin/env bash
# `jwtk serve` against npm's oauth2-mock-server, on the same machine under the same load
# (compare ratios, never absolute rates: the machine is shared and its speed moves):
#
# 1. Start-up: from process start to the line that gives the issuer URL (jwtk: its first
#    line on stdout, printed once the socket accepts; the peer: its "listening on" line).
#    Median of 20 starts.
# 2. Throughput with wrk: GET /jwks, and POST /token (client credentials, Basic client
#    authentication, ES256 for both: jwtk's ephemeral P-256 key, the peer given a P-256 JWK).
#    Requests per second, the median of --rounds runs; any non-2xx reply fails the run.
#    Then the authorization code round trip: GET /authorize (PKCE S256, scope openid: the
#    redirect at once, no login page) and POST /token redeeming the code (an access token and
#    an ID token), each connection alternating the two; round trips (token replies with 200)
#    per second.
# 3. Memory: RSS once started and warmed up (one request to each endpoint, then 1 s idle),
#    and the peak RSS sampled every 100 ms under the POST /token load.
#
# Usage: benches/serve.sh [--duration SECONDS] [--connections N] [--threads N] [--rounds R]
#   defaults: 10 s, 32 connections, 1 wrk thread, 3 rounds.
#   JWTK=PATH (environment) times this jwtk binary instead of target/release/jwtk.
# Needs: cargo, python3, node and npm (oauth2-mock-server is installed with npm into
# target/bench/node on the first run), wrk (Debian: apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."

duration=10
connections=32
threads=1
rounds=3
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 2; }

work=$PWD/target/bench
mkdir -p "$work"
peer_version=9.3.0
if [ ! -x "$work/node/node_modules/.bin/oauth2-mock-server" ]; then
  echo "== installing oauth2-mock-server@$peer_version into $work/node" >&2
  npm install --prefix "$work/node" --no-save --no-audit --no-fund --silent "oauth2-mock-server@$peer_version"
fi
if [ -z "${JWTK:-}" ]; then
  echo "== building (release)" >&2
  cargo build --release --quiet --bin jwtk
fi
jwtk=${JWTK:-$PWD/target/release/jwtk}
peer=$work/node/node_modules/.bin/oauth2-mock-server
"$jwtk" keygen --type ec --format jwk > "$work/es256.jwk" 2>/dev/null

cat > "$work/token.lua" <<'LUA'
wrk.method = "POST"
wrk.body = "grant_type=client_credentials&scope=read"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic c3ZjOnMzY3JldA=="
LUA

# The code flow: an authorization request, then the token request for the code it gave (RFC
# 7636 Appendix B's verifier and challenge); codes wait in a queue per wrk thread.
cat > "$work/code.lua" <<'LUA'
local verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
local redirect = "http%3A%2F%2Flocalhost%3A3000%2Fcb"
local authorize
-- Made in init, once wrk has set the Host header.
function init(args)
  authorize = wrk.format("GET", "/authorize?response_type=code&client_id=app&redirect_uri="
    .. redirect .. "&scope=openid&state=s&nonce=n&code_challenge="
    .. "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256")
end
local codes, first, last = {}, 1, 0
trips = 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function request()
  if first <= last then
    local code = codes[first]
    codes[first] = nil
    first = first + 1
    return wrk.format("POST", "/token", {["Content-Type"] = "application/x-www-form-urlencoded"},
      "grant_type=authorization_code&client_id=app&redirect_uri=" .. redirect
      .. "&code_verifier=" .. verifier .. "&code=" .. code)
  end
  return authorize
end
function response(status, headers, body)
  if status == 302 then
    local code = (headers["Location"] or headers["location"] or ""):match("[?&]code=([^&]+)")
    if code then last = last + 1; codes[last] = code end
  elseif status == 200 then
    trips = trips + 1
  end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("trips") end
  io.write(string.format("Round trips/sec: %.0f\n", total / (summary.duration / 1e6)))
end
LUA

# The two servers: a command, and the text of the line that gives the issuer URL.
jwtk_cmd=("$jwtk" serve -q --addr 127.0.0.1:0)
peer_cmd=("$peer" -a 127.0.0.1 -p 0 --jwk "$work/es256.jwk")

# Start one server in the background; print "PID URL" once its URL line is out.
start() { # marker command...
  python3 - "$@" <<'PY'
import os, re, subprocess, sys
marker, cmd = sys.argv[1], sys.argv[2:]
proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                        start_new_session=True)
for line in proc.stdout:
    if marker in line:
        url = re.search(r"https?://[^\s]+", line).group(0)
        print(proc.pid, url, flush=True)
        # Keep reading (and dropping) its output in the background, detached.
        if os.fork() == 0:
            for _ in proc.stdout:
                pass
            os._exit(0)
        break
PY
}

# Milliseconds from process start to the URL line, median of 20 starts.
startup() { # marker command...
  python3 - "$@" <<'PY'
import statistics, subprocess, sys, time
marker, cmd = sys.argv[1], sys.argv[2:]
times = []
for _ in range(20):
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in proc.stdout:
        if marker in line:
            times.append((time.perf_counter() - started) * 1000)
            break
    proc.terminate()
    proc.wait()
print(f"{statistics.median(times):.1f}")
PY
}

rss_mb() { # pid
  awk '/^VmRSS/ {printf "%.1f\n", $2 / 1024}' "/proc/$1/status"
}

# Requests/s of one wrk run; fails on any non-2xx reply.
rate() { # url [wrk args...]
  local url=$1 out
  shift
  out=$(wrk -t "$threads" -c "$connections" -d "${duration}s" "$@" "$url")
  if grep -q "Non-2xx" <<<"$out"; then
    echo "non-2xx replies from $url:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk '/^Requests\/sec/ {printf "%.0f\n", $2}' <<<"$out"
}

# Authorization code round trips/s of one wrk run; fails on any reply but 200 and 302.
trips() { # url
  local out
  out=$(wrk -t "$threads" -c "$connections" -d "${duration}s" -s "$work/code.lua" "$1")
  if grep -q "Non-2xx" <<<"$out"; then
    echo "replies other than 2xx and 3xx from $1:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk '/^Round trips\/sec/ {print $3}' <<<"$out"
}

median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# Peak RSS while a command runs, sampled every 100 ms.
peak_while() { # pid command...
  local pid=$1 peak=0 now
  shift
  "$@" > "$work/peak.out" &
  local load=$!
  while kill -0 "$load" 2>/dev/null; do
    now=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
    [ "$now" -gt "$peak" ] && peak=$now
    sleep 0.1
  done
  wait "$load"
  awk -v kb="$peak" 'BEGIN {printf "%.1f\n", kb / 1024}'
}

measure() { # name marker command...
  local name=$1 marker=$2
  shift 2
  echo "== $name: start-up" >&2
  local boot
  boot=$(startup "$marker" "$@")
  read -r pid url < <(start "$marker" "$@")
  curl -s -o /dev/null "$url/jwks"
  curl -s -o /dev/null -u svc:s3cret -d grant_type=client_credentials "$url/token"
  sleep 1
  local idle jwks token code peak
  idle=$(rss_mb "$pid")
  echo "== $name: GET /jwks, POST /token, authorize + token ($rounds × ${duration}s, $connections connections)" >&2
  jwks=$(for _ in $(seq "$rounds"); do rate "$url/jwks"; done | median)
  token=$(for _ in $(seq "$rounds"); do rate "$url/token" -s "$work/token.lua"; done | median)
  code=$(for _ in $(seq "$rounds"); do trips "$url"; done | median)
  peak=$(peak_while "$pid" rate "$url/token" -s "$work/token.lua")
  kill -TERM "$pid"
  echo "$boot $jwks $token $code $idle $peak"
}

read -r j_boot j_jwks j_token j_code j_idle j_peak < <(measure "jwtk serve" "http" "${jwtk_cmd[@]}")
read -r p_boot p_jwks p_token p_code p_idle p_peak < <(measure "oauth2-mock-server" "listening on" "${peer_cmd[@]}")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f×\n", a / b}'; }
printf '\n| measure | jwtk serve | oauth2-mock-server %s | jwtk advantage |\n' "$peer_version"
printf '|---|---:|---:|---:|\n'
printf '| start-up to the URL line, ms (median of 20) | %s | %s | %s |\n' "$j_boot" "$p_boot" "$(ratio "$p_boot" "$j_boot")"
printf '| GET /jwks, requests/s | %s | %s | %s |\n' "$j_jwks" "$p_jwks" "$(ratio "$j_jwks" "$p_jwks")"
printf '| POST /token (client credentials, ES256), requests/s | %s | %s | %s |\n' "$j_token" "$p_token" "$(ratio "$j_token" "$p_token")"
printf '| authorization code round trips (GET /authorize + POST /token, ID token), per s | %s | %s | %s |\n' "$j_code" "$p_code" "$(ratio "$j_code" "$p_code")"
printf '| RSS idle, MB | %s | %s | %s |\n' "$j_idle" "$p_idle" "$(ratio "$p_idle" "$j_idle")"
printf '| RSS peak under POST /token load, MB | %s | %s | %s |\n' "$j_peak" "$p_peak" "$(ratio "$p_peak" "$j_peak")"
printf '\nwrk -t %s -c %s -d %ss, median of %s rounds; %s cores.\n' "$threads" "$connections" "$duration" "$rounds" "$(nproc)"
