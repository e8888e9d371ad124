#!/usr/bin/env bash
# The README's test command: prepares the machine (tools/setup.sh), runs every test project in
# Horizon.sln against real nats-server, Docker, docker-registry and PostgreSQL, and ends with
# one line "N passed, N failed, N skipped" summed over all projects. Exit status is the tests'.
# The node agent runs as it ships: tools/publish-agent.sh publishes the NativeAOT executable once (about
# 3 minutes here) and every test that starts the agent as a process runs that executable.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RESULTS="$ROOT/TestResults"
cd "$ROOT"

started=$(date +%s)
"$ROOT/tools/setup.sh" || { echo "tools/setup.sh failed; no tests were run"; echo "0 passed, 1 failed"; exit 1; }
setup_done=$(date +%s)

publish_failed=0
if "$ROOT/tools/publish-agent.sh"; then
  export HZN_NODE_AGENT_BINARY="$ROOT/artifacts/node-agent/Horizon.NodeAgent"
else
  # The tests still run (on the JIT build), and the failed publish counts as a failed test.
  publish_failed=1
fi
published=$(date +%s)

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
# One dotnet test per project, one after the other: each gets its own TRX file, and tests that
# start servers and containers do not compete for this machine's two cores.
mapfile -t projects < <(dotnet sln "$ROOT/Horizon.sln" list | grep -E '\.Tests\.csproj$' | sort)
status=0
for project in "${projects[@]}"; do
  name="$(basename "$project" .csproj)"
  echo
  echo "==> dotnet test $name"
  # The configuration tools/setup.sh just built: --no-build must not test an older build of another one.
  dotnet test "$ROOT/$project" --no-build -c "${CONFIGURATION:-Debug}" -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" --results-directory "$RESULTS" \
    "$@" >"$RESULTS/$name.log" 2>&1
  project_status=$?
  grep -E '^\s*Skipped |^\s*(Passed|Failed)!|Total tests|No test is available|error' "$RESULTS/$name.log" | head -n 60
  # The reason of each failure (message and first stack lines), so a CI log alone explains it.
  grep -A 14 -E '^\s*Failed ' "$RESULTS/$name.log" | grep -v -E '^\s*Passed ' | head -n 120
  if [[ $project_status -ne 0 ]]; then
    status=$project_status
    [[ -e "$RESULTS/$name.trx" ]] || { echo "$name produced no results (exit $project_status); last lines:"; tail -n 20 "$RESULTS/$name.log"; }
  fi
done
finished=$(date +%s)

# Sum the counters of every TRX file: one per test project.
passed=0; failed=0; skipped=0; files=0
for trx in "$RESULTS"/*.trx; do
  [[ -e "$trx" ]] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
  get() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  total=$(get total); p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); a=$(get aborted); n=$(get notExecuted)
  passed=$((passed + p)); failed=$((failed + f + e + t + a)); skipped=$((skipped + n + total - p - f - e - t - a - n))
done
if ((publish_failed)); then
  echo "tools/publish-agent.sh failed: the node agent's NativeAOT executable was not published (counted as a failure)"
  failed=$((failed + 1)); status=1
fi
if [[ $status -ne 0 && $failed -eq 0 ]]; then
  # A test host failed before it wrote any result: count it as a failure.
  failed=1
fi

echo
echo "test projects with results: $files; setup $((setup_done - started)) s, agent publish $((published - setup_done)) s, tests $((finished - published)) s"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
