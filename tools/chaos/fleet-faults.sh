#!/bin/sh
# The larger formation-fault run (issue 24): FleetSim --chaos with every fault kind, repeated,
# during the formation and the rollout of a fleet in several node processes. Prints each fault,
# the time to converge after it, violations, and p50/max per fault kind; exits 1 on any violation.
# Usage: tools/chaos/fleet-faults.sh [extra FleetSim options, e.g. --count 300 --faults-per-phase 20]
set -eu
cd "$(dirname "$0")/../.."
dll=tools/Horizon.FleetSim/bin/Release/net10.0/Horizon.FleetSim.dll
[ -f "$dll" ] || dotnet build -c Release tools/Horizon.FleetSim -v q
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
set +e
dotnet "$dll" --count 100 --rate 2 --reject 0.05 --nodes-per-process 25 --heartbeat 3s \
  --chaos all --chaos-gap 3s --faults-per-phase 12 --rollout --rollout-batch-size 2 \
  --token-hash-iterations 1000 --timeout 10m "$@"
status=$?
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
