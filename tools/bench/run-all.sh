#!/usr/bin/env bash
# Reruns the benchmarks of docs/benchmarks.md: every project under tools/bench/ and the fleet
# simulator's runs, each bounded by `timeout`, on loopback only. Each output is teed into a results
# folder; a one-line summary per benchmark is printed at the end (and kept in summary.txt).
#
#   tools/bench/run-all.sh                      # everything, full sizes (hours on 2 cores)
#   tools/bench/run-all.sh --quick              # everything with small counts (a smoke test, minutes)
#   tools/bench/run-all.sh exchange fleet nodeagent   # a subset of suites
#   tools/bench/run-all.sh --commit HEAD nodeagent    # a clean export of a commit, not the work tree
#
# Suites: exchange fleet nodeagent mailbox nats patterns (default: all).
#   nodeagent = Horizon.Bench.HelloEdge (register -> containers running; agent RSS/CPU) and
#               Horizon.Bench.NodeAgent (start-agreement timings in process; the agent's footprint,
#               the JIT build and the NativeAOT executable of tools/publish-agent.sh side by side)
# Options: --quick, --commit REV, --results DIR (default /tmp/horizon-bench-<UTC date-time>),
#          --lock-wait SECONDS (default 7200).
# The benchmarks run while holding /tmp/horizon-bench.lock (flock), the lock every benchmark on this
# machine takes, so benchmarks never overlap (the builds before do not hold it). tools/setup.sh runs
# first (idempotent) to start dockerd and friends.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ALL_SUITES=(exchange fleet nodeagent mailbox nats patterns)
LOCK=/tmp/horizon-bench.lock
QUICK=0 COMMIT="" RESULTS="" LOCK_WAIT=7200 SUITES=()

usage() { sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
fail() { printf 'run-all.sh: %s\n' "$*" >&2; exit 1; }

while (($#)); do
  case "$1" in
    --quick) QUICK=1 ;;
    --commit) (($# > 1)) || fail "--commit needs a revision"; COMMIT="$2"; shift ;;
    --results) (($# > 1)) || fail "--results needs a folder"; RESULTS="$2"; shift ;;
    --lock-wait) (($# > 1)) && [[ "$2" =~ ^[0-9]+$ ]] || fail "--lock-wait needs a number of seconds"; LOCK_WAIT="$2"; shift ;;
    -h|--help) usage ;;
    -*) printf 'run-all.sh: unknown option %s\n' "$1" >&2; usage ;;
    *) [[ " ${ALL_SUITES[*]} " == *" $1 "* ]] || fail "unknown suite '$1' (suites: ${ALL_SUITES[*]})"; SUITES+=("$1") ;;
  esac
  shift
done
((${#SUITES[@]})) || SUITES=("${ALL_SUITES[@]}")
selected() { [[ " ${SUITES[*]} " == *" $1 "* ]]; }
RESULTS="${RESULTS:-/tmp/horizon-bench-$(date -u +%Y%m%d-%H%M%S)}"
mkdir -p "$RESULTS"
SUMMARY="$RESULTS/summary.txt"
: >"$SUMMARY"

machine() {
  printf '%s cores, %s GB memory, load average %s at %s UTC' "$(nproc)" \
    "$(awk '/MemTotal/ {printf "%.1f", $2/1048576}' /proc/meminfo)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(date -u +%H:%M:%S)"
}

# Prerequisites first, before the lock: setup.sh may start dockerd, which must not inherit the lock.
if [[ "$(id -u)" == 0 ]]; then
  HZN_SETUP_SKIP_BUILD=1 "$ROOT/tools/setup.sh" >"$RESULTS/setup.log" 2>&1 || fail "tools/setup.sh failed (see $RESULTS/setup.log)"
elif ! timeout 10 docker version >/dev/null 2>&1 || ! command -v nats-server >/dev/null; then
  fail "the Docker engine or nats-server is missing: run tools/setup.sh as root first"
fi


# Source: the work tree, or a clean export of a commit (others' half-written files cannot break the build).
SRC="$ROOT"
if [[ -n "$COMMIT" ]]; then
  SRC="$RESULTS/source"
  mkdir -p "$SRC"
  git -C "$ROOT" archive "$COMMIT" | tar -x -C "$SRC" || fail "cannot export $COMMIT"
  echo "source: $(git -C "$ROOT" rev-parse "$COMMIT") exported to $SRC"
else
  echo "source: work tree $ROOT at $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- . 2>/dev/null || echo ' (with uncommitted changes)')"
fi

{
  echo "results: $RESULTS"
  echo "machine: $(machine)"
  echo "command: $0 $([[ $QUICK == 1 ]] && echo --quick) ${COMMIT:+--commit $COMMIT} ${SUITES[*]}"
} | tee "$RESULTS/machine.txt"

# Release builds of what the selected suites run. A suite whose build fails is reported and skipped;
# the others still run.
FAILED=0
BUILT=" "
build() { # SUITE PROJECT...
  local suite="$1" project; shift
  selected "$suite" || return 0
  for project in "$@"; do
    echo "building $project (Release)"
    if ! timeout 1800 dotnet build -c Release -nologo -v:q "$SRC/$project" >>"$RESULTS/build.log" 2>&1; then
      echo "building $project FAILED (see $RESULTS/build.log); skipping the $suite suite"
      printf '%-22s %-10s %5ss  %s\n' "$suite" "NOT BUILT" 0 "building $project failed: $(grep -m1 -oE 'error [A-Z]+[0-9]+: .{0,120}' "$RESULTS/build.log" | tail -1)" >>"$SUMMARY"
      FAILED=1
      return 0
    fi
  done
  BUILT+="$suite "
}
ready() { [[ "$BUILT" == *" $1 "* ]]; }
build exchange tools/bench/Horizon.Bench.Exchange
build fleet tools/Horizon.FleetSim
build nodeagent exchange/Horizon.Exchange switchboard/Horizon.Switchboard.Service agbot/Horizon.Agbot node-agent/Horizon.NodeAgent \
  tools/Horizon.Cli tools/bench/Horizon.Bench.HelloEdge tools/bench/Horizon.Bench.NodeAgent
if ready nodeagent && ! timeout 1800 "$SRC/tools/publish-agent.sh" >>"$RESULTS/build.log" 2>&1; then
  echo "publishing the NativeAOT node agent FAILED (see $RESULTS/build.log); the footprint measures the JIT build alone"
fi
build mailbox tools/bench/Horizon.Bench.Mailbox
build nats tools/bench/Horizon.Bench.Nats
build patterns tools/bench/Horizon.Bench.Patterns

# Only the measurements hold the lock; builds (minutes on a loaded machine) do not keep others waiting.
exec 9>"$LOCK"
if ! flock -n 9; then
  echo "waiting for $LOCK (another benchmark runs; at most $LOCK_WAIT s)"
  flock -w "$LOCK_WAIT" 9 || fail "$LOCK still held after $LOCK_WAIT s"
fi
echo "holding $LOCK from $(date -u +%H:%M:%S) UTC"

dll() { echo "$SRC/$1/bin/Release/net10.0/${2:-${1##*/}}.dll"; }

# bench NAME SECONDS SUMMARY-REGEX COMMAND...: runs one benchmark bounded by timeout, tees its output,
# and appends a one-line summary (status, duration, the lines matching the regex).
bench() {
  local name="$1" limit="$2" pattern="$3"; shift 3
  local log="$RESULTS/$name.log" started status
  started=$(date +%s)
  echo
  echo "=== $name: $* (at most $limit s)"
  {
    echo "command: $*"
    echo "machine: $(machine)"
  } >"$log"
  set +e
  (cd "$SRC" && timeout --kill-after=30 "$limit" "$@" 9>&-) 2>&1 | tee -a "$log"
  status=${PIPESTATUS[0]}
  set -e
  echo "machine after: $(machine)" >>"$log"
  local figures outcome
  figures="$({ grep -E "$pattern" "$log" || true; } | awk 'NF { gsub(/^ +| +$/, ""); gsub(/ +/, " "); out = out (out == "" ? "" : "; ") $0 } END { print out }')"
  case "$status" in
    0) outcome=ok ;;
    124|137) outcome="TIMEOUT after $limit s"; FAILED=1 ;;
    *) outcome="FAILED (exit $status)"; FAILED=1 ;;
  esac
  printf '%-22s %-10s %5ss  %s\n' "$name" "$outcome" "$(($(date +%s) - started))" "${figures:-(no figures; see $log)}" >>"$SUMMARY"
}

q() { [[ $QUICK == 1 ]] && echo "$1" || echo "$2"; } # q QUICK FULL

if ready exchange; then
  bench exchange "$(q 600 5400)" 'registrations/s|search p99|heartbeats/s sustained|heartbeat errors' \
    dotnet "$(dll tools/bench/Horizon.Bench.Exchange)" "$(q 2000 100000)" "$(q 5 20)" both
fi
if ready fleet; then
  fleet="$(dll tools/Horizon.FleetSim)"
  finalized='registered -> agreement finalized|fleet-sim summary|rollout of'
  bench fleet-latency "$(q 600 3600)" "$finalized" dotnet "$fleet" --count "$(q 50 1000)" --sequential
  bench fleet-formation "$(q 600 1800)" "$finalized" dotnet "$fleet" --count "$(q 200 10000)" --timeout "$(q 300s 1500s)"
  bench fleet-rollout "$(q 600 3600)" "$finalized" dotnet "$fleet" --count "$(q 50 1000)" --rollout --rollout-batch-size "$(q 10 100)"
fi
if ready nodeagent; then
  bench nodeagent-hello-edge "$(q 900 1800)" 'register -> both containers running|node agent footprint' \
    dotnet "$(dll tools/bench/Horizon.Bench.HelloEdge)" $(q "--runs 3 --settle-seconds 2 --footprint-seconds 10" "")
  bench nodeagent-inprocess "$(q 600 1800)" 'start agreement|^\| (JIT|NativeAOT) ' \
    dotnet "$(dll tools/bench/Horizon.Bench.NodeAgent)" $(q "--rss-only --window 10" "")
fi
if ready mailbox; then
  bench mailbox "$(q 300 1800)" 'p50' dotnet "$(dll tools/bench/Horizon.Bench.Mailbox)" "$(q 100 1000)"
fi
if ready nats; then
  bench nats "$(q 300 1800)" 'publish throughput|request round trip' \
    dotnet "$(dll tools/bench/Horizon.Bench.Nats)" $(q "--messages 20000 --requests 1000 --rounds 1" "")
fi
if ready patterns; then
  bench patterns "$(q 300 1800)" 'nodes in' dotnet "$(dll tools/bench/Horizon.Bench.Patterns)" "$(q 1000 100000)"
fi

echo
echo "=== summary ($RESULTS/summary.txt; machine: $(machine))"
cat "$SUMMARY"
exit "$FAILED"
