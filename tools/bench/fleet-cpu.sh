#!/usr/bin/env bash
# CPU per agreement by component, two revisions side by side in one run: each revision is exported
# (git archive) and built in Release, then FleetSim forms the same fleet with each, alternating
# (A B A B ...), so both see the same machine. Prints every run's "per agreement" line and the
# median per component; keeps the logs.
#
#   tools/bench/fleet-cpu.sh [options] BEFORE AFTER [-- FLEETSIM-OPTIONS...]
#   tools/bench/fleet-cpu.sh main h18                       # 1,000 nodes, 2 runs each
#   tools/bench/fleet-cpu.sh --runs 3 main HEAD -- --count 2000 --nodes-per-process 1000
#
# Options: --runs N (per revision, default 2), --results DIR (default /tmp/horizon-fleet-cpu-<UTC>),
#          --limit SECONDS (each run, default 900), --lock-wait SECONDS (default: wait for the lock as long
#          as it takes; after that many seconds the runs go ahead without it, and every line says so).
#          A revision named "worktree" is the work tree as it is.
# Builds hold /tmp/horizon-build.lock; the runs hold /tmp/horizon-measure.lock, so nothing else measures
# meanwhile. Each figure is CPU time per agreement, which load beside the run changes little; both
# revisions alternate, so they share whatever else the machine does.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUNS=2 RESULTS="" LIMIT=900 LOCK_WAIT=""
usage() { sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
fail() { printf 'fleet-cpu.sh: %s\n' "$*" >&2; exit 1; }
while (($#)); do
  case "$1" in
    --runs) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || fail "--runs needs a positive number"; RUNS="$2"; shift ;;
    --results) [[ -n "${2:-}" ]] || fail "--results needs a folder"; RESULTS="$2"; shift ;;
    --limit) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || fail "--limit needs seconds"; LIMIT="$2"; shift ;;
    --lock-wait) [[ "${2:-}" =~ ^[0-9]+$ ]] || fail "--lock-wait needs seconds"; LOCK_WAIT="$2"; shift ;;
    -h|--help) usage ;;
    --) shift; break ;;
    -*) usage ;;
    *) break ;;
  esac
  shift
done
(($# >= 2)) || usage
REVS=("$1" "$2"); shift 2
[[ "${1:-}" == "--" ]] && shift
SIM_ARGS=("$@")
((${#SIM_ARGS[@]})) || SIM_ARGS=(--count 1000)
RESULTS="${RESULTS:-/tmp/horizon-fleet-cpu-$(date -u +%Y%m%d-%H%M%S)}"
mkdir -p "$RESULTS"

# How many assemblies in a build output carry ReadyToRun code (a CLI header whose ManagedNativeHeader is
# set): since §10c a Release build of FleetSim is compiled ahead of time, older revisions are plain IL,
# and the figures differ by about the JIT's share, so every result says which kind ran.
readytorun_share() {
  python3 - "$1" <<'PY'
import glob, os, struct, sys
def readytorun(path):
    d = open(path, "rb").read()
    pe, = struct.unpack_from("<I", d, 0x3C)
    sections, = struct.unpack_from("<H", d, pe + 6)
    optional_size, = struct.unpack_from("<H", d, pe + 20)
    optional = pe + 24
    magic, = struct.unpack_from("<H", d, optional)
    cli, = struct.unpack_from("<I", d, optional + (112 if magic == 0x20B else 96) + 14 * 8)
    for i in range(sections):
        size, address, raw_size, raw_at = struct.unpack_from("<IIII", d, optional + optional_size + 40 * i + 8)
        if cli and address <= cli < address + max(size, raw_size):
            return struct.unpack_from("<I", d, cli - address + raw_at + 64)[0] != 0
    return False
paths = glob.glob(os.path.join(sys.argv[1], "*.dll"))
print(f"{sum(readytorun(p) for p in paths)} of {len(paths)}")
PY
}

DLLS=() labels=()
for rev in "${REVS[@]}"; do
  if [[ "$rev" == worktree ]]; then
    src="$ROOT"
    label="worktree@$(git -C "$ROOT" rev-parse --short HEAD)"
  else
    sha="$(git -C "$ROOT" rev-parse --verify "$rev^{commit}")" || fail "no such revision: $rev"
    label="$rev@${sha:0:7}"
    src="$RESULTS/src-${sha:0:12}"
    if [[ ! -d "$src" ]]; then
      mkdir -p "$src"
      git -C "$ROOT" archive "$sha" | tar -x -C "$src"
    fi
  fi
  echo "building $label (Release) in $src"
  flock -o /tmp/horizon-build.lock dotnet build -c Release -nologo -v:q "$src/tools/Horizon.FleetSim" >"$RESULTS/build-${label//[^A-Za-z0-9@.-]/_}.log" 2>&1 \
    || fail "building $label failed (see $RESULTS/build-${label//[^A-Za-z0-9@.-]/_}.log)"
  DLLS+=("$src/tools/Horizon.FleetSim/bin/Release/net10.0/Horizon.FleetSim.dll")
  labels+=("$label")
  echo "$label: $(readytorun_share "$src/tools/Horizon.FleetSim/bin/Release/net10.0") assemblies in the simulator's output are ReadyToRun images" \
    | tee -a "$RESULTS/readytorun.txt"
done

exec 9>/tmp/horizon-measure.lock
LOCKED="holding /tmp/horizon-measure.lock"
if ! flock -n 9; then
  echo "waiting for /tmp/horizon-measure.lock${LOCK_WAIT:+ (at most $LOCK_WAIT s)}"
  if ! flock ${LOCK_WAIT:+-w "$LOCK_WAIT"} 9; then
    LOCKED="WITHOUT /tmp/horizon-measure.lock (still held after $LOCK_WAIT s by: $(fuser /tmp/horizon-measure.lock 2>/dev/null | xargs -n1 2>/dev/null | head -3 | xargs -I{} sh -c 'tr "\0" " " </proc/{}/cmdline | cut -c1-80' | paste -sd';'))"
  fi
fi
echo "$LOCKED from $(date -u +%H:%M:%S) UTC; load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$RESULTS/lock.txt"
echo "command: $0 --runs $RUNS ${REVS[*]} -- ${SIM_ARGS[*]}" | tee "$RESULTS/command.txt"
: >"$RESULTS/per-agreement.tsv"
for ((run = 1; run <= RUNS; run++)); do
  for i in 0 1; do
    label="${labels[$i]}"
    log="$RESULTS/run${run}-${i}.log"
    started=$(date -u +%H:%M:%S) load="$(cut -d' ' -f1 /proc/loadavg)"
    set +e
    timeout --kill-after=30 "$LIMIT" dotnet "${DLLS[$i]}" "${SIM_ARGS[@]}" >"$log" 2>&1 9>&-
    status=$?
    set -e
    line="$(grep -m1 'per agreement:' "$log" || true)"
    settled="$(grep -m1 -oE 'last healthy agreement [0-9.]+ s' "$log" || true)"
    printf '%s run %d (%s UTC, load %s, exit %d%s): %s; %s\n' "$label" "$run" "$started" "$load" "$status" \
      "$([[ "$LOCKED" == WITHOUT* ]] && echo ', measure lock not held')" "${settled:-no settle line}" "${line## }"
    # label, run, total, then name=value per component
    if [[ -n "$line" ]]; then
      total="$(sed -E 's/.*per agreement: ([0-9.]+) cpu-ms.*/\1/' <<<"$line")"
      parts="$(sed -E 's/.*cpu-ms \(([^)]*)\).*/\1/' <<<"$line" | sed -E 's/, /\t/g; s/ ([0-9.]+)/=\1/g')"
      printf '%s\t%d\ttotal=%s\t%s\n' "$label" "$run" "$total" "$parts" >>"$RESULTS/per-agreement.tsv"
    fi
  done
done
flock -u 9

echo
echo "median cpu-ms per agreement (${SIM_ARGS[*]}; $RUNS run(s) each; logs in $RESULTS; $(cut -d' ' -f1-5 "$RESULTS/lock.txt"))"
python3 - "$RESULTS/per-agreement.tsv" "${labels[@]}" <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(sys.argv[1]):
    label, run, *parts = line.rstrip("\n").split("\t")
    for part in parts:
        name, value = part.split("=")
        rows[label][name].append(float(value))
names = ["total", "nodes", "agbot", "exchange", "nats-server"]
print("| revision | " + " | ".join(names) + " |")
print("| --- |" + " --- |" * len(names))
for label in sys.argv[2:]:
    cells = [f"{statistics.median(rows[label][n]):.1f}" if rows[label][n] else "-" for n in names]
    print(f"| {label} | " + " | ".join(cells) + " |")
PY
