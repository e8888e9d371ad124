#!/usr/bin/env bash
# What the one-time release of start-up memory (hosting/Horizon.Hosting/Memory: StartupHeaps, then ExecutablePages,
# Hosting:ReleaseStartupPagesAfterSeconds after start, default 30 s) gives back in one process of the node agent:
# starts the agent idle on an empty state folder, prints RssAnon / RssFile / threads every 5 s (each second around
# the release) from start to SECONDS after ready, then the release's own log lines (managed heap committed before
# and after, kB of pages released), and kills the agent. Run it under flock /tmp/horizon-measure.lock.
#
#   tools/bench/agent-release-trace.sh [EXECUTABLE] [PORT] [SECONDS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${1:-$ROOT/artifacts/node-agent/Horizon.NodeAgent}"
PORT="${2:-8599}"
SECONDS_AFTER="${3:-60}"
[[ -x "$BIN" ]] || { echo "agent-release-trace.sh: no executable at $BIN (run tools/publish-agent.sh)" >&2; exit 2; }
STATE="$(mktemp -d)"
trap 'rm -rf "$STATE"' EXIT
# The release logs at Debug; the category's dots cannot be written as a shell assignment, hence env.
env NodeAgent__NodeId=bench NodeAgent__Organization=acme NodeAgent__StateDirectory="$STATE" \
  NodeAgent__ApiUrl="http://127.0.0.1:$PORT" Logging__LogLevel__Default=Warning \
  'Logging__LogLevel__Horizon.Hosting.Memory=Debug' "$BIN" >"$STATE/agent.log" 2>&1 &
PID=$!
started=$(date +%s%N)
for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null || { echo "agent-release-trace.sh: never ready" >&2; tail -n 20 "$STATE/agent.log" >&2; kill "$PID"; exit 1; }
ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))
echo "$BIN: ready after $ready_ms ms; $(uptime)"
echo "s_after_start RssAnon_kB RssFile_kB Threads"
end=$(( started / 1000000000 + ready_ms / 1000 + SECONDS_AFTER ))
while (( $(date +%s) < end )); do
  t=$(( ($(date +%s%N) - started) / 1000000000 ))
  awk -v t="$t" '/^RssAnon:/{a=$2} /^RssFile:/{f=$2} /^Threads:/{n=$2} END{print t, a, f, n}' "/proc/$PID/status"
  # Each second from 25 s to 40 s after start, where the default release falls; every 5 s elsewhere.
  if (( t >= 25 && t <= 40 )); then sleep 1; else sleep 5; fi
done
echo "$(uptime)"
grep -E 'StartupPageRelease|start-up' "$STATE/agent.log" | cut -c1-300 || echo "(no release logged)"
kill "$PID"
wait "$PID" 2>/dev/null || true
