#!/usr/bin/env bash
# Idle resident memory of agbot builds side by side, without the rest of the quickstart (tools/bench/idle-rss.sh
# measures the whole fleet, but first publishes four components natively). One exchange on SQLite holds the
# quickstart's exchange content (an org, a user, the agbot, a pattern, a node with its policy and status); a
# nats-server with JetStream and no authorization stands in for the switchboard's (nothing is negotiated: the
# agbot searches the pattern and finds no node to propose to). The builds share one state directory (the
# agbot's keys are registered in the exchange once, by the first; its store stays almost empty). Each build idles $SETTLE seconds (default 60), and VmRSS, VmHWM, RssAnon, RssFile, RssShmem (/proc/<pid>/status)
# and Pss (smaps_rollup) are read.
#
#   flock /tmp/horizon-measure.lock tools/bench/agbot-idle-rss.sh EXCHANGE NAME=EXECUTABLE_OR_DLL ...
#   e.g. /tmp/pub/exchange/Horizon.Exchange main=/tmp/pub-main/agbot/Horizon.Agbot new=/tmp/pub/agbot/Horizon.Agbot
# The builds run one after the other, in the order given. Ports: $HZN_BENCH_PORT (default 44090) and the next two.
set -euo pipefail
(($# > 1)) || { echo "usage: $0 EXCHANGE NAME=EXECUTABLE_OR_DLL ..." >&2; exit 1; }
EXCHANGE="$1"; shift
SETTLE="${SETTLE:-60}"
PORT="${HZN_BENCH_PORT:-44090}"
NATS_PORT=$((PORT + 1)) AGBOT_PORT=$((PORT + 2))
WORK="$(mktemp -d /tmp/hzn-agbot-idle.XXXXXX)"
results="$WORK/results"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
echo "command: $0 $EXCHANGE $* (SETTLE=$SETTLE)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
field() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$2/status"; }
launcher() { [[ "$1" == *.dll ]] && echo dotnet || true; }
wait_http() { for _ in $(seq 240); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.5; done; return 1; }
# Credentials go to curl through a 0600 config file, never on its command line.
as() { printf 'user = "%s"\n' "$1" >"$WORK/auth"; chmod 600 "$WORK/auth"; }
call() { curl -sf -K "$WORK/auth" -H 'Content-Type: application/json' -X "$1" "http://127.0.0.1:$PORT/v1/$2" ${3:+--data "$3"} >/dev/null; }

printf 'listen: "127.0.0.1:%s"\njetstream { store_dir: "%s/js" }\n' "$NATS_PORT" "$WORK" >"$WORK/nats.conf"
nats-server -c "$WORK/nats.conf" >"$WORK/nats.log" 2>&1 &
pids+=($!)
password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
HZN_EXCHANGE_ROOT_PASSWORD="$password" Logging__LogLevel__Default=Warning \
  $(launcher "$EXCHANGE") "$EXCHANGE" --urls "http://127.0.0.1:$PORT" --Exchange:SqlitePath="$WORK/exchange.db" >"$WORK/exchange.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$PORT/healthz" || { tail -n 20 "$WORK/exchange.log" >&2; exit 1; }
agbot_token="agbot-token-0123456789abcdef0123456789"
as "root/root:$password"
call PUT orgs/hello '{"label":"hello-edge","description":"idle bench"}'
call PUT orgs/hello/users/publisher '{"password":"publisher-password-1","admin":true,"email":"p@example.com"}'
as "hello/publisher:publisher-password-1"
call PUT orgs/hello/agbots/agbot1 "{\"token\":\"$agbot_token\",\"name\":\"agbot1\"}"
call PUT orgs/hello/patterns/hello-edge '{"label":"hello","public":false,"services":[{"serviceUrl":"consumer","serviceOrgid":"hello","serviceArch":"amd64","serviceVersions":[{"version":"1.0.0"}]}]}'
call PUT orgs/hello/nodes/node1 '{"token":"node-token-0123456789abcdef0123456789ab","name":"node1","pattern":"hello/hello-edge","arch":"amd64"}'
as "hello/node1:node-token-0123456789abcdef0123456789ab"
call PUT orgs/hello/nodes/node1/policy '{"properties":[{"name":"purpose","value":"bench"}],"constraints":[]}'
call PUT orgs/hello/nodes/node1/status '{"connectivity":{},"services":[]}'

for build in "$@"; do
  name="${build%%=*}" program="${build#*=}"
  [[ -e "$program" ]] || { echo "$program does not exist" >&2; exit 1; }
  state="$WORK/agbot"; mkdir -p "$state"
  Agbot__Token="$agbot_token" Logging__LogLevel__Default=Warning $(launcher "$program") "$program" --Agbot:Org=hello --Agbot:Id=agbot1 \
    --Agbot:ExchangeUrl="http://127.0.0.1:$PORT/v1" --Agbot:NatsUrl="nats://127.0.0.1:$NATS_PORT" \
    --Agbot:StateDirectory="$state" --Agbot:LocalApiUrl="http://127.0.0.1:$AGBOT_PORT" >"$WORK/$name.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  wait_http "http://127.0.0.1:$AGBOT_PORT/readyz" || { grep -v -e "^   at " -e "End of stack" "$WORK/$name.log" | tail -n 20 >&2; exit 1; }
  sleep "$SETTLE"
  printf '%s %s %s %s %s %s %s %s\n' "$name" "$(mb "$(field VmRSS "$pid")")" "$(mb "$(field VmHWM "$pid")")" "$(mb "$(field RssAnon "$pid")")" \
    "$(mb "$(field RssFile "$pid")")" "$(mb "$(field RssShmem "$pid")")" \
    "$(mb "$(awk '$1 == "Pss:" { print $2 }' "/proc/$pid/smaps_rollup")")" "$(du -sh "$program" | cut -f1)" >>"$results"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  # The next build binds the same port: wait until the kernel has let go of it.
  for _ in $(seq 50); do ss -ltn | grep -q "127.0.0.1:$AGBOT_PORT " || break; sleep 0.2; done
done

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '\n%-10s %9s %9s %9s %9s %9s %9s %9s\n' build "rss MB" "peak MB" "anon MB" "file MB" "shmem MB" "pss MB" "file"
while read -r name rss hwm anon file shmem pss size; do
  printf '%-10s %9s %9s %9s %9s %9s %9s %9s\n' "$name" "$rss" "$hwm" "$anon" "$file" "$shmem" "$pss" "$size"
done <"$results"
