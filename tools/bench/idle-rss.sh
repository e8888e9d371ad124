#!/usr/bin/env bash
# Idle resident memory of the quickstart's components, the JIT build and the production publish side
# by side in one run: brings the quickstart up on each build in turn (HZN_QUICKSTART_JIT=1, then the
# production publish of tools/publish-servers.sh: exchange, switchboard and agbot NativeAOT),
# lets the fleet idle $SETTLE seconds (default 60) with its agreement running,
# reads VmRSS, VmHWM, RssAnon and RssFile from /proc/<pid>/status and Pss from smaps_rollup (resident
# pages divided among the processes that map them: the JIT builds share the framework's files), and
# takes it down again.
# Holds the quickstart lock (fixed ports):
#   flock /tmp/horizon-quickstart.lock tools/bench/idle-rss.sh
# MODES="published" measures one build only; extra DOTNET_* variables (GC settings) pass through
# to every component, e.g. DOTNET_GCgen0size=0x400000.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="${HZN_QUICKSTART_DIR:-/var/tmp/horizon-quickstart}"
SETTLE="${SETTLE:-60}"
MODES="${MODES:-jit published}"
LOGS="$(mktemp -d /tmp/hzn-idle-rss.XXXXXX)"
results="$LOGS/results"
echo "command: $0 (MODES=$MODES SETTLE=$SETTLE $(env | grep -E '^DOTNET_' | tr '\n' ' '))"
echo "commit: $(git -C "$ROOT" rev-parse --short HEAD); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
field() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$2/status"; }
pss() { awk '$1 == "Pss:" { print $2 }' "/proc/$1/smaps_rollup"; }

for mode in $MODES; do
  jit=0; [[ "$mode" == jit ]] && jit=1
  echo "==> quickstart on the $mode build (log: $LOGS/quickstart-$mode.log)"
  if ! HZN_QUICKSTART_JIT=$jit "$ROOT/tools/quickstart.sh" >"$LOGS/quickstart-$mode.log" 2>&1; then
    tail -n 20 "$LOGS/quickstart-$mode.log" >&2
    "$ROOT/tools/quickstart.sh" down >/dev/null 2>&1 || true
    exit 1
  fi
  sleep "$SETTLE"
  for name in exchange switchboard agbot node-agent; do
    pidfile="$STATE/$name.pid"
    [[ -e "$pidfile" ]] || continue
    pid="$(cat "$pidfile")"
    # The pid file may name a wrapper (env, a shell); the server is its newest descendant or itself.
    for child in $(pgrep -P "$pid" || true); do pid="$child"; done
    printf '%s %s %s %s %s %s %s %s\n' "$mode" "$name" "$(mb "$(field VmRSS "$pid")")" "$(mb "$(field VmHWM "$pid")")" \
      "$(mb "$(field RssAnon "$pid")")" "$(mb "$(field RssFile "$pid")")" "$(mb "$(field RssShmem "$pid")")" "$(mb "$(pss "$pid")")" >>"$results"
  done
  "$ROOT/tools/quickstart.sh" down >/dev/null
done

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '\n%-12s %-10s %9s %9s %9s %9s %9s %9s\n' component build "rss MB" "peak MB" "anon MB" "file MB" "shmem MB" "pss MB"
sort -k2,2 -s "$results" | while read -r mode name rss hwm anon file shmem pss; do
  printf '%-12s %-10s %9s %9s %9s %9s %9s %9s\n' "$name" "$mode" "$rss" "$hwm" "$anon" "$file" "$shmem" "$pss"
done
