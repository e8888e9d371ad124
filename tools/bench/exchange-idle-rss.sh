#!/usr/bin/env bash
# Idle resident memory of exchange builds side by side, without the rest of the quickstart (which publishes
# four components natively before it measures anything; tools/bench/idle-rss.sh measures the whole fleet).
# Each build gets a fresh SQLite exchange on a loopback port, the quickstart's exchange content over HTTP
# (an org, a user, an agbot, a pattern, a node with its policy and status), a pattern search, then a node
# heartbeat and an agbot search every 10 s for $SETTLE seconds (default 60), as a quiet fleet of one does;
# then VmRSS, VmHWM, RssAnon, RssFile, RssShmem (/proc/<pid>/status) and Pss (smaps_rollup) are read.
#
#   flock /tmp/horizon-measure.lock tools/bench/exchange-idle-rss.sh NAME=EXECUTABLE_OR_DLL ...
#   e.g. main=/tmp/pub-main/exchange/Horizon.Exchange aot=/tmp/pub/exchange/Horizon.Exchange
#        jit=exchange/Horizon.Exchange/bin/Release/net10.0/Horizon.Exchange.dll   (run with dotnet)
# The builds run one after the other, in the order given. Ports: $HZN_BENCH_PORT (default 43090).
set -euo pipefail
(($# > 0)) || { echo "usage: $0 NAME=EXECUTABLE_OR_DLL ..." >&2; exit 1; }
SETTLE="${SETTLE:-60}"
PORT="${HZN_BENCH_PORT:-43090}"
WORK="$(mktemp -d /tmp/hzn-exchange-idle.XXXXXX)"
results="$WORK/results"
pid=""
cleanup() { [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
echo "command: $0 $* (SETTLE=$SETTLE)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
field() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$2/status"; }
# Credentials go to curl through a 0600 config file, never on its command line.
as() { printf 'user = "%s"\n' "$1" >"$WORK/auth"; chmod 600 "$WORK/auth"; }
call() { curl -sf -K "$WORK/auth" -H 'Content-Type: application/json' -X "$1" "http://127.0.0.1:$PORT/v1/$2" ${3:+--data "$3"} >/dev/null; }

for build in "$@"; do
  name="${build%%=*}" program="${build#*=}"
  [[ -e "$program" ]] || { echo "$program does not exist" >&2; exit 1; }
  state="$WORK/$name"; mkdir -p "$state"
  password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  launcher=(); [[ "$program" == *.dll ]] && launcher=(dotnet)
  HZN_EXCHANGE_ROOT_PASSWORD="$password" Logging__LogLevel__Default=Warning \
    "${launcher[@]}" "$program" --urls "http://127.0.0.1:$PORT" --Exchange:SqlitePath="$state/exchange.db" >"$state/log" 2>&1 &
  pid=$!
  for _ in $(seq 120); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null || { tail -n 20 "$state/log" >&2; exit 1; }

  as "root/root:$password"
  call PUT orgs/hello '{"label":"hello-edge","description":"idle bench"}'
  call PUT orgs/hello/users/publisher '{"password":"publisher-password-1","admin":true,"email":"p@example.com"}'
  as "hello/publisher:publisher-password-1"
  call PUT orgs/hello/agbots/agbot1 '{"token":"agbot-token-0123456789abcdef0123456789","name":"agbot1"}'
  call PUT orgs/hello/patterns/hello-edge '{"label":"hello","public":false,"services":[{"serviceUrl":"consumer","serviceOrgid":"hello","serviceArch":"amd64","serviceVersions":[{"version":"1.0.0"}]}]}'
  call PUT orgs/hello/nodes/node1 '{"token":"node-token-0123456789abcdef0123456789ab","name":"node1","pattern":"hello/hello-edge","arch":"amd64"}'
  as "hello/node1:node-token-0123456789abcdef0123456789ab"
  call PUT orgs/hello/nodes/node1/policy '{"properties":[{"name":"purpose","value":"bench"}],"constraints":[]}'
  call PUT orgs/hello/nodes/node1/status '{"connectivity":{},"services":[]}'
  call POST orgs/hello/nodes/node1/heartbeat
  as "hello/agbot1:agbot-token-0123456789abcdef0123456789"
  call POST orgs/hello/patterns/hello-edge/search '{"arch":"amd64","nodeOrgids":["hello"]}'
  for ((t = 0; t < SETTLE; t += 10)); do
    sleep 10
    as "hello/node1:node-token-0123456789abcdef0123456789ab"; call POST orgs/hello/nodes/node1/heartbeat
    as "hello/agbot1:agbot-token-0123456789abcdef0123456789"; call POST orgs/hello/patterns/hello-edge/search '{"arch":"amd64","nodeOrgids":["hello"]}'
  done
  printf '%s %s %s %s %s %s %s %s\n' "$name" "$(mb "$(field VmRSS "$pid")")" "$(mb "$(field VmHWM "$pid")")" "$(mb "$(field RssAnon "$pid")")" \
    "$(mb "$(field RssFile "$pid")")" "$(mb "$(field RssShmem "$pid")")" \
    "$(mb "$(awk '$1 == "Pss:" { print $2 }' "/proc/$pid/smaps_rollup")")" "$(du -sh "$program" | cut -f1)" >>"$results"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
done

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '\n%-10s %9s %9s %9s %9s %9s %9s %9s\n' build "rss MB" "peak MB" "anon MB" "file MB" "shmem MB" "pss MB" "file"
while read -r name rss hwm anon file shmem pss size; do
  printf '%-10s %9s %9s %9s %9s %9s %9s %9s\n' "$name" "$rss" "$hwm" "$anon" "$file" "$shmem" "$pss" "$size"
done <"$results"
