#!/bin/bash
# The soak (issue 24): a fleet of 1,000 simulated nodes formed, then kept under node churn —
# node processes SIGKILLed and started again (their nodes resume as the agent's start-up does),
# node links to NATS cut and restored, and running nodes leaving (unregistered: agreements
# cancelled, record deleted) and joining again with a new registration — for about an hour, while every component's resident
# memory and open descriptors are sampled each minute. Prints each fault and violation as
# FleetSim does, then per component the first sample after warm-up, the last one and the growth
# per 10 minutes (least squares over the samples after warm-up). The summary is printed whatever
# FleetSim's exit code; the script exits with it.
#
# Usage: tools/chaos/soak.sh [--minutes 60] [--nodes 1000] [--sample 60] [--warmup 10] [--out DIR] [-- extra FleetSim options]
#   --minutes  how long the churn goes on (the number of faults is derived from it; the fleet's
#              formation comes first, so the run is a few minutes longer)
#   --sample   seconds between samples;  --warmup  minutes of samples left out of the growth figures
# Environment: HZN_SOAK_CONFIG (Release or Debug, default Release).
set -euo pipefail
cd "$(dirname "$0")/../.."

minutes=60 nodes=1000 sample=60 warmup=10 out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    --nodes) nodes=$2; shift 2 ;;
    --sample) sample=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "soak.sh: unknown option $1 (see the usage at the top of the script)" >&2; exit 2 ;;
  esac
done

config=${HZN_SOAK_CONFIG:-Release}
dll=tools/Horizon.FleetSim/bin/$config/net10.0/Horizon.FleetSim.dll
[ -f "$dll" ] || dotnet build -c "$config" tools/Horizon.FleetSim -v q -nologo
out=${out:-/tmp/horizon-soak-$(date -u +%Y%m%dT%H%M%S)}
mkdir -p "$out"
samples=$out/samples.csv
jetstream=$out/jetstream.csv
log=$out/fleetsim.log

# One fault about every 24 s (gap 20 s ± half, then the fault and its convergence, which took 0.1–11 s
# in the soak of 2026-12-03): the count that fills the requested time. All three kinds are churn of the nodes; the central components are left
# alone so their growth is their own.
faults=$(( minutes * 5 / 2 ))
echo "soak: $nodes nodes, ~$minutes min of node churn ($faults faults: node-kill, link-cut, node-rejoin), samples every ${sample}s into $out"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# nats-server's monitoring endpoint on loopback, to set its memory beside what the mailbox stream holds,
# and its Go profiler, whose heap statistics say whether growing memory is live data or the Go
# collector's slack (HeapAlloc: live and not yet collected; HeapIdle - HeapReleased: freed, kept).
monitor=${HZN_SOAK_MONITOR_PORT:-28222}
prof=${HZN_SOAK_PROF_PORT:-28223}
HZN_NATS_MONITOR_PORT=$monitor HZN_NATS_PROF_PORT=$prof dotnet "$dll" --count "$nodes" --rate 25 --nodes-per-process 250 --heartbeat 30s \
  --chaos node-kill,link-cut,node-rejoin --chaos-gap 20s --faults-per-phase "$faults" --down-for 2s --cut-for 5s \
  --token-hash-iterations 1000 --timeout "$(( minutes + 30 ))m" "$@" > "$log" 2>&1 &
pid=$!

# component name of a process of the run, from its command line; empty for one that is not ours
component_of() {
  local p=$1 cmd
  # a process may be gone between the listing and this read (FleetSim starts short-lived ones)
  cmd=$( { tr '\0' ' ' < "/proc/$p/cmdline"; } 2>/dev/null) || return 0
  case "$cmd" in
    *--fleet-exchange*) echo exchange ;;
    *--fleet-agbot*) echo agbot ;;
    *--fleet-switchboard*) echo switchboard ;;
    *--fleet-shard*) echo nodes ;;
    *nats-server*) echo nats-server ;;
    *Horizon.FleetSim.dll*) [ "$p" = "$pid" ] && echo fleetsim ;;
  esac
}

# every process below FleetSim (children and theirs), FleetSim itself first
tree() {
  local todo=("$pid") p c
  while [ ${#todo[@]} -gt 0 ]; do
    p=${todo[0]}; todo=("${todo[@]:1}")
    echo "$p"
    for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do todo+=("$c"); done
  done
}

take_sample() {
  local now elapsed p name rss fds
  now=$(date -u +%s); elapsed=$(( now - started ))
  for p in $(tree); do
    name=$(component_of "$p")
    [ -n "$name" ] || continue
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null) || continue
    fds=$(find "/proc/$p/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
    [ -n "$rss" ] && echo "$elapsed,$name,$p,$rss,$fds" >> "$samples"
  done
  # what the streams hold (they expire by age), the server's own view of its memory and
  # subscriptions, and the Go heap's statistics, beside nats-server's RSS
  curl -s --max-time 5 -o "$out/.jsz" "http://127.0.0.1:$monitor/jsz" 2>/dev/null || echo '{}' > "$out/.jsz"
  curl -s --max-time 5 -o "$out/.varz" "http://127.0.0.1:$monitor/varz" 2>/dev/null || echo '{}' > "$out/.varz"
  curl -s --max-time 5 -o "$out/.heap" "http://127.0.0.1:$prof/debug/pprof/heap?debug=1" 2>/dev/null || : > "$out/.heap"
  python3 -c '
import json, re, sys
elapsed, out = sys.argv[1], sys.argv[2]
def load(name):
    try: return json.load(open(out + "/" + name))
    except (ValueError, OSError): return {}
jsz, varz = load(".jsz"), load(".varz")
heap = {m.group(1): int(m.group(2)) for m in re.finditer(r"^# (\w+) = (\d+)$", open(out + "/.heap").read(), re.M)}
if not jsz and not varz: sys.exit(0)
print(",".join(str(v) for v in [elapsed, jsz.get("messages", 0), jsz.get("bytes", 0), jsz.get("memory", 0),
    jsz.get("consumers", 0), varz.get("mem", 0), varz.get("connections", 0), varz.get("subscriptions", 0),
    heap.get("HeapAlloc", 0), heap.get("HeapInuse", 0), heap.get("HeapIdle", 0), heap.get("HeapReleased", 0), heap.get("Sys", 0)]))
' "$elapsed" "$out" >> "$jetstream" 2>/dev/null || true
  # the Go heap by allocation site every 10 minutes, to name what holds memory if HeapAlloc grows
  if [ $(( elapsed / 600 )) -ne "$last_profile" ]; then
    last_profile=$(( elapsed / 600 ))
    curl -s --max-time 10 -o "$out/nats-heap-$elapsed.txt" "http://127.0.0.1:$prof/debug/pprof/heap?debug=1" 2>/dev/null || true
  fi
}

echo "elapsed_s,component,pid,rss_kb,fds" > "$samples"
echo "elapsed_s,messages,bytes,memory_bytes,consumers,nats_rss_bytes,connections,subscriptions,heap_alloc,heap_inuse,heap_idle,heap_released,go_sys" > "$jetstream"
last_profile=-1
started=$(date -u +%s)
while kill -0 "$pid" 2>/dev/null; do
  take_sample
  for _ in $(seq "$sample"); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
done
rc=0
wait "$pid" || rc=$?

echo "--- FleetSim (exit $rc), last lines of $log:"
tail -n 60 "$log"
echo "--- memory and descriptors per component (samples after the first $warmup min; node processes summed)"
printf "%-16s %8s %10s %10s %12s %8s %8s %12s\n" component samples "rss first" "rss last" MB/10min "fd first" "fd last" fd/10min
awk -F, -v warm=$(( warmup * 60 )) '
  NR == 1 || $1 < warm { next }
  {
    c = ($2 == "nodes") ? "node processes" : $2
    key = $1 SUBSEP c
    if (!(key in seen)) { seen[key] = 1; times[c] = times[c] " " $1 }
    rss[key] += $4; fds[key] += $5; comps[c] = 1
  }
  END {
    for (c in comps) {
      n = split(substr(times[c], 2), t, " ")
      sx = sy = sxx = sxy = fy = fxy = 0
      for (i = 1; i <= n; i++) {
        k = t[i] SUBSEP c; x = t[i] / 600; y = rss[k] / 1024; f = fds[k]
        sx += x; sy += y; sxx += x * x; sxy += x * y; fy += f; fxy += x * f
      }
      d = n * sxx - sx * sx
      slope = (d > 0) ? (n * sxy - sx * sy) / d : 0
      fslope = (d > 0) ? (n * fxy - sx * fy) / d : 0
      printf "%-16s %8d %8.1fMB %8.1fMB %+12.2f %8d %8d %+12.2f\n", c, n, rss[t[1] SUBSEP c] / 1024, rss[t[n] SUBSEP c] / 1024, slope, fds[t[1] SUBSEP c], fds[t[n] SUBSEP c], fslope
    }
  }' "$samples" | sort
echo "--- nats-server: what the JetStream streams held (messages expire by age) beside its memory and the Go heap"
awk -F, 'NR > 1 && NF == 13 && (NR - 2) % 5 == 0 { printf "t=%5ss: %7d messages %6.1f MB stored, %5d consumers, %6d subs, rss %6.1f MB, heap alloc %6.1f MB, idle-not-released %6.1f MB, go sys %6.1f MB\n", $1, $2, $3 / 1048576, $5, $8, $6 / 1048576, $9 / 1048576, ($11 - $12) / 1048576, $13 / 1048576 }' "$jetstream"
echo "samples: $samples, $jetstream"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$rc"
