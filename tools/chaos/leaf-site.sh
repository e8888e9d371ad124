#!/bin/sh
# An edge site behind a NATS leaf node (issue 24): FleetSim --leaf-site puts every node agent on a
# leaf nats-server (written by the switchboard's nats-leaf) and cuts the leaf's uplink to the hub for
# five minutes while the fleet forms, then restores it. Prints what was stored on each side during the
# cut, whether the agreements in force stayed in force, convergence and violations; exits 1 on any.
# Usage: tools/chaos/leaf-site.sh [--cut-leaf-for 5m] [extra FleetSim options, e.g. --count 100]
set -eu
cd "$(dirname "$0")/../.."
config=${HZN_CONFIG:-Debug}
dll=tools/Horizon.FleetSim/bin/$config/net10.0/Horizon.FleetSim.dll
[ -f "$dll" ] || dotnet build -c "$config" tools/Horizon.FleetSim -v q
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
set +e
# 40 nodes over 200 s: the first dozen agree before the cut at 30 s, the others register while the
# site is cut off (their proposals wait at the hub; the agbot's 60 s reply timeout runs out on most).
dotnet "$dll" --count 40 --rate 0.2 --nodes-per-process 20 --inbox-idle-check 30s \
  --leaf-site --cut-leaf-at 30s --cut-leaf-for 5m --token-hash-iterations 1000 --timeout 12m "$@"
status=$?
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
