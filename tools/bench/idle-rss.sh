#!/usr/bin/env bash
# Idle resident memory of each running quickstart component: VmRSS and VmHWM from /proc, after
# the fleet has been idle for $SETTLE seconds (default 60). Run it after tools/quickstart.sh, on
# each build to compare, under the same lock:
#   flock /tmp/horizon-quickstart.lock sh -c 'tools/quickstart.sh >/dev/null && tools/bench/idle-rss.sh; tools/quickstart.sh down'
set -euo pipefail
STATE="${HZN_QUICKSTART_DIR:-/var/tmp/horizon-quickstart}"
SETTLE="${SETTLE:-60}"
sleep "$SETTLE"
printf '%-12s %10s %10s\n' component "rss MB" "peak MB"
for name in exchange switchboard agbot node-agent; do
  pidfile="$STATE/$name.pid"
  [[ -e "$pidfile" ]] || continue
  pid="$(cat "$pidfile")"
  # The pid file may name a wrapper (env, a shell); the dotnet process is its newest descendant or itself.
  for child in $(pgrep -P "$pid" || true); do pid="$child"; done
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  printf '%-12s %10.1f %10.1f\n' "$name" "$(echo "$rss/1024" | bc -l)" "$(echo "$hwm/1024" | bc -l)"
done
