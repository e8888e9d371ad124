#!/usr/bin/env bash
# The README's main command: everything up on one machine with embedded defaults, the hello-edge
# sample published, and — once the agbot, switchboard and node agent can run — negotiated and running.
#
#   tools/quickstart.sh                     # up: prints each step with the time it took; the node enrolls (auto-approved)
#   tools/quickstart.sh --token             # up, the node registered Open Horizon's way: pre-created with a token, hzn register
#   tools/quickstart.sh --with-prometheus   # up, plus Debian's prometheus scraping every component on 127.0.0.1:9090
#   tools/quickstart.sh down                # stops what the quickstart started and removes its state
#   HZN_QUICKSTART_JIT=1 tools/quickstart.sh   # dotnet build output on the JIT instead of the published servers and agent
#
# State (SQLite files, keys, logs, pid files) lives in $HZN_QUICKSTART_DIR (default
# /var/tmp/horizon-quickstart). Ports: exchange 3090 (HTTPS with mTLS for enrolled nodes: 3443), nats 4222,
# registry 5000, agbot 8046, switchboard 8047, node agent 8510.
set -euo pipefail
# Everything this script and the servers it starts write (databases with token hashes and agreement
# terms, logs, keys) is readable by root alone: the servers' own SQLite files are created 0644 otherwise.
umask 077

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${HZN_QUICKSTART_DIR:-/var/tmp/horizon-quickstart}"
EXCHANGE_PORT=3090 EXCHANGE_TLS_PORT=3443 NATS_PORT=4222 REGISTRY_PORT=5000 AGBOT_PORT=8046 SWITCHBOARD_PORT=8047 AGENT_PORT=8510
REGISTRY="127.0.0.1:$REGISTRY_PORT"
ORG=hello USER_NAME=publisher NODE_ID=node1
SAMPLE="$ROOT/patterns/examples/hello-edge"

fail() { printf 'quickstart: FAILED at "%s": %s\n' "${CURRENT_STEP:-start}" "$*" >&2; printf 'logs: %s/logs; clean up with: %s down\n' "$STATE" "$0" >&2; exit 1; }
STEP_STARTED=0
step() {
  finish_step
  CURRENT_STEP="$*"; STEP_STARTED=$(date +%s%N)
  printf '==> %s\n' "$*"
}
finish_step() {
  if ((STEP_STARTED > 0)); then
    printf '    done in %s s\n' "$(awk -v ns=$(( $(date +%s%N) - STEP_STARTED )) 'BEGIN{printf "%.1f", ns/1e9}')"
    STEP_STARTED=0
  fi
}

# start NAME COMMAND...: runs detached, logs to $STATE/logs/NAME.log, pid in $STATE/NAME.pid.
start() {
  local name="$1"; shift
  setsid nohup "$@" >"$STATE/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$STATE/$name.pid"
}
wait_port() { # NAME PORT
  for _ in $(seq 1 60); do
    (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return 0
    kill -0 "$(cat "$STATE/$1.pid")" 2>/dev/null || { tail -n 20 "$STATE/logs/$1.log" >&2; fail "$1 exited at start"; }
    sleep 0.5
  done
  tail -n 20 "$STATE/logs/$1.log" >&2
  fail "$1 did not listen on 127.0.0.1:$2 within 30 s"
}
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# A placeholder entry point says "not implemented yet" and exits 2 (see its Program.cs).
implemented() { ! grep -q 'not implemented yet' "$1"; }

down() {
  for pidfile in "$STATE"/*.pid; do
    [[ -e "$pidfile" ]] || continue
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
  if command -v docker >/dev/null && docker version >/dev/null 2>&1; then
    # What the node agent started for the sample, and the sample's images.
    mapfile -t containers < <(docker ps -aq --filter "label=org.openhorizon.horizon.service.org=$ORG")
    ((${#containers[@]} == 0)) || docker rm -f "${containers[@]}" >/dev/null
    mapfile -t networks < <(docker network ls -q --filter "label=org.openhorizon.horizon.service.org=$ORG")
    ((${#networks[@]} == 0)) || docker network rm "${networks[@]}" >/dev/null 2>&1 || true
    mapfile -t images < <(docker images --format '{{.Repository}}:{{.Tag}}' | grep "^$REGISTRY/hzn-examples/" || true)
    ((${#images[@]} == 0)) || docker rmi "${images[@]}" >/dev/null 2>&1 || true
  fi
  rm -rf "$STATE"
  echo "quickstart: everything stopped and $STATE removed"
}

WITH_PROMETHEUS=0 TOKEN_PATH=0
args=()
for arg in "$@"; do
  case "$arg" in
    --with-prometheus) WITH_PROMETHEUS=1 ;;
    --token) TOKEN_PATH=1 ;;
    *) args+=("$arg") ;;
  esac
done
set -- "${args[@]+"${args[@]}"}"
PROMETHEUS_PORT=9090
if [[ "${1:-up}" == down ]]; then down; exit 0; fi
[[ "${1:-up}" == up ]] || { echo "usage: $0 [up|down] [--with-prometheus] [--token]" >&2; exit 1; }
[[ ! -e "$STATE/exchange.pid" ]] || { echo "quickstart: already up (state in $STATE); run '$0 down' first" >&2; exit 4; }

step "preparing the machine (tools/setup.sh)"
HZN_SETUP_SKIP_BUILD=1 "$ROOT/tools/setup.sh" >/dev/null || fail "tools/setup.sh did not succeed; run it alone to see why"
ports=($EXCHANGE_PORT $EXCHANGE_TLS_PORT $NATS_PORT $REGISTRY_PORT $AGBOT_PORT $SWITCHBOARD_PORT $AGENT_PORT)
((WITH_PROMETHEUS == 0)) || ports+=($PROMETHEUS_PORT)
for port in "${ports[@]}"; do
  port_free "$port" || fail "127.0.0.1:$port is in use; stop what listens there (or run '$0 down')"
done
mkdir -p "$STATE"/{logs,bin,nats,registry,keys}

step "building hzn"
dotnet build -c Release -nologo -v:quiet "$ROOT/tools/Horizon.Cli" -o "$STATE/bin/hzn" >"$STATE/logs/build-hzn.log" 2>&1 \
  || fail "building hzn failed (see $STATE/logs/build-hzn.log)"
# The servers run as published for production (tools/publish-servers.sh: the exchange, the switchboard
# and the agbot NativeAOT). The publish's intermediate files stay in $BUILD_CACHE across
# 'down', so only the first quickstart pays the native compilation. HZN_QUICKSTART_JIT=1 runs
# `dotnet build` output on the JIT instead, for comparisons (tools/bench/idle-rss.sh).
BUILD_CACHE="${HZN_QUICKSTART_BUILD_CACHE:-/var/tmp/horizon-quickstart-build}"
if [[ "${HZN_QUICKSTART_JIT:-0}" == 1 ]]; then
  step "building the exchange, switchboard, agbot and node agent (JIT, HZN_QUICKSTART_JIT=1)"
  for project in exchange/Horizon.Exchange switchboard/Horizon.Switchboard.Service agbot/Horizon.Agbot node-agent/Horizon.NodeAgent; do
    name="${project##*/}"
    dotnet build -c Release -nologo -v:quiet "$ROOT/$project" -o "$STATE/bin/$name" >"$STATE/logs/build-$name.log" 2>&1 \
      || fail "building $name failed (see $STATE/logs/build-$name.log)"
  done
  EXCHANGE=(dotnet "$STATE/bin/Horizon.Exchange/Horizon.Exchange.dll")
  SWITCHBOARD=(dotnet "$STATE/bin/Horizon.Switchboard.Service/Horizon.Switchboard.Service.dll")
  AGBOT=(dotnet "$STATE/bin/Horizon.Agbot/Horizon.Agbot.dll")
  AGENT=(dotnet "$STATE/bin/Horizon.NodeAgent/Horizon.NodeAgent.dll")
else
  step "publishing the exchange, switchboard and agbot (NativeAOT) as in production; the first time takes minutes"
  HZN_PUBLISH_ARTIFACTS="$BUILD_CACHE" "$ROOT/tools/publish-servers.sh" "$STATE/bin/servers" | sed 's/^/    /' \
    || fail "publishing the servers failed (logs in $STATE/bin/servers)"
  EXCHANGE=("$STATE/bin/servers/exchange/Horizon.Exchange")
  SWITCHBOARD=("$STATE/bin/servers/switchboard/Horizon.Switchboard.Service")
  AGBOT=("$STATE/bin/servers/agbot/Horizon.Agbot")
  # The node agent as it ships: one NativeAOT executable (tools/publish-agent.sh).
  step "publishing the node agent as it ships (NativeAOT); the first time takes minutes"
  HZN_PUBLISH_ARTIFACTS="$BUILD_CACHE" "$ROOT/tools/publish-agent.sh" "$STATE/bin/node-agent" | sed 's/^/    /' \
    || fail "publishing the node agent failed (log: $STATE/bin/node-agent.log)"
  AGENT=("$STATE/bin/node-agent/Horizon.NodeAgent")
fi
hzn() { dotnet "$STATE/bin/hzn/hzn.dll" "$@"; }

step "starting nats-server in operator mode (JetStream, full account resolver) on 127.0.0.1:$NATS_PORT"
# nats-init creates the NATS operator, the system and Horizon accounts and their signing keys
# (0600, in $STATE/nats/authority/keys), the resolver include nats-server loads, and creds files
# for the switchboard and the exchange. No NATS password exists anywhere: every client proves a key.
"${SWITCHBOARD[@]}" nats-init "$STATE/nats/authority" >"$STATE/logs/nats-init.log" 2>&1 \
  || fail "creating the NATS authority failed (see $STATE/logs/nats-init.log)"
cat >"$STATE/nats/nats.conf" <<CONF
listen: "127.0.0.1:$NATS_PORT"
jetstream { store_dir: "$STATE/nats/jetstream" }
pid_file: "$STATE/nats/nats-server.pid"
include "authority/resolver.conf"
CONF
start nats /usr/sbin/nats-server -c "$STATE/nats/nats.conf"
wait_port nats "$NATS_PORT"

step "starting the exchange on http://127.0.0.1:$EXCHANGE_PORT/v1 and https://127.0.0.1:$EXCHANGE_TLS_PORT/v1 (SQLite $STATE/exchange.db)"
# Secrets reach the processes through their environment or 0600 files, never a command line: they
# are exported in a subshell, not given to env(1), whose argv any local user can read while it runs.
ROOT_PASSWORD="$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
(umask 077; echo "$ROOT_PASSWORD" >"$STATE/root-password"; echo "root/root:$ROOT_PASSWORD" >"$STATE/root-credentials")
(export Exchange__RootPassword="$ROOT_PASSWORD"
 start exchange env Exchange__SqlitePath="$STATE/exchange.db" \
  Exchange__NatsUrl="nats://127.0.0.1:$NATS_PORT" Exchange__NatsCredentialsFile="$STATE/nats/authority/exchange.creds" \
  "${EXCHANGE[@]}" --urls "http://127.0.0.1:$EXCHANGE_PORT;https://127.0.0.1:$EXCHANGE_TLS_PORT")
wait_port exchange "$EXCHANGE_PORT"
export HZN_EXCHANGE_URL="http://127.0.0.1:$EXCHANGE_PORT/v1"

step "starting docker-registry with htpasswd on $REGISTRY"
REGISTRY_USER=hzn REGISTRY_PASSWORD="$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
htpasswd -iBc "$STATE/registry/htpasswd" "$REGISTRY_USER" <<<"$REGISTRY_PASSWORD" >/dev/null 2>&1
cat >"$STATE/registry/config.yml" <<YAML
version: 0.1
log: { level: warn }
storage: { filesystem: { rootdirectory: $STATE/registry/data } }
http: { addr: $REGISTRY, secret: $(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n') }
auth: { htpasswd: { realm: horizon-quickstart, path: $STATE/registry/htpasswd } }
YAML
start registry docker-registry serve "$STATE/registry/config.yml"
wait_port registry "$REGISTRY_PORT"

step "creating org $ORG, its admin $USER_NAME and agbot agbot1"
PUBLISHER_PASSWORD="$(head -c 12 /dev/urandom | base64 | tr '+/' '-_')"
HZN_EXCHANGE_USER_AUTH="root/root:$ROOT_PASSWORD" hzn exchange org add "$ORG" --label "hello-edge quickstart" >/dev/null
HZN_EXCHANGE_USER_AUTH="root/root:$ROOT_PASSWORD" HZN_NEW_USER_PASSWORD="$PUBLISHER_PASSWORD" hzn exchange user add -o "$ORG" "$USER_NAME" --admin >/dev/null
export HZN_ORG_ID="$ORG" HZN_EXCHANGE_USER_AUTH="$USER_NAME:$PUBLISHER_PASSWORD"
AGBOT_TOKEN="$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')"
HZN_AGBOT_TOKEN="$AGBOT_TOKEN" hzn exchange agbot add agbot1 >/dev/null
printf 'HZN_EXCHANGE_URL=%s\nHZN_ORG_ID=%s\nHZN_EXCHANGE_USER_AUTH=%s\n' "$HZN_EXCHANGE_URL" "$ORG" "$HZN_EXCHANGE_USER_AUTH" >"$STATE/hzn.env"
chmod 600 "$STATE/hzn.env"

step "building the hello-edge images from hzn/busybox and pushing them to $REGISTRY"
DOCKER_CONFIG="$STATE/docker-config" REGISTRY="$REGISTRY" REGISTRY_USER="$REGISTRY_USER" REGISTRY_PASSWORD="$REGISTRY_PASSWORD" \
  "$SAMPLE/build-images.sh" >"$STATE/logs/images.log" 2>&1 || fail "building the images failed (see $STATE/logs/images.log)"

step "publishing the services (tags pinned to digests, deployment signed with a fresh key) and the pattern"
hzn key create -d "$STATE/keys" >/dev/null
export HZN_PRIVATE_KEY_FILE="$STATE/keys/service.private.key" HZN_PUBLIC_KEY_FILE="$STATE/keys/service.public.pem" REGISTRY
# The publisher's key and the registry login go into hzn.env too, for the README's tour.
printf 'HZN_PRIVATE_KEY_FILE=%s\nHZN_PUBLIC_KEY_FILE=%s\nREGISTRY=%s\nREGISTRY_USER=%s\nREGISTRY_PASSWORD=%s\nDOCKER_CONFIG=%s\n' \
  "$HZN_PRIVATE_KEY_FILE" "$HZN_PUBLIC_KEY_FILE" "$REGISTRY" "$REGISTRY_USER" "$REGISTRY_PASSWORD" "$STATE/docker-config" >>"$STATE/hzn.env"
HZN_REGISTRY_TOKEN="$REGISTRY:$REGISTRY_USER:$REGISTRY_PASSWORD" hzn exchange service publish -f "$SAMPLE/producer.service.definition.json"
HZN_REGISTRY_TOKEN="$REGISTRY:$REGISTRY_USER:$REGISTRY_PASSWORD" hzn exchange service publish -f "$SAMPLE/consumer.service.definition.json"
# The pattern gives the producer its HELLO_MESSAGE, so an enrolled node, which brings no user input of its own,
# runs the sample too; a node registered with userinput.json overrides it.
mkdir -p "$STATE/hello-edge"
cp "$SAMPLE/hzn.json" "$STATE/hello-edge/hzn.json"
sed 's|"userInput": \[\]|"userInput": [{ "serviceOrgid": "$HZN_ORG_ID", "serviceUrl": "$PRODUCER_NAME", "serviceVersionRange": "[1.0.0,2.0.0)", "inputs": [{ "name": "HELLO_MESSAGE", "value": "hello from the edge" }] }]|' \
  "$SAMPLE/pattern.json" >"$STATE/hello-edge/pattern.json"
hzn exchange pattern publish -f "$STATE/hello-edge/pattern.json"
hzn exchange agbot addpattern agbot1 "$ORG" hello-edge >/dev/null

if ((TOKEN_PATH == 1)); then
  step "checking the pattern against this node"
  NODE_TOKEN="$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')"
  HZN_NODE_TOKEN="$NODE_TOKEN" hzn exchange node add "$NODE_ID" -p hello-edge -a amd64 >/dev/null
  hzn deploycheck -n "$NODE_ID" -p hello-edge
else
  step "letting devices enroll: enrollment certificate 'quickstart' and the auto-approval rule 'quickstart' (pattern hello-edge)"
  # The certificate's key is made here and never travels; the exchange signs its CSR. ca.crt is the device CA,
  # the only trust the agent gives the exchange's HTTPS certificate.
  hzn exchange org enrollmentcert create quickstart --dir "$STATE/enrollment" --ttl 1d >/dev/null
  hzn exchange org enrollmentrule add quickstart --enrollment-cert quickstart --node-prefix node- --pattern hello-edge >/dev/null
fi

step "starting the switchboard on http://127.0.0.1:$SWITCHBOARD_PORT"
mkdir -p "$STATE/switchboard"
(cd "$STATE/switchboard" && start switchboard env HZN_Switchboard__NatsUrl="nats://127.0.0.1:$NATS_PORT" \
  HZN_Switchboard__AuthorityDirectory="$STATE/nats/authority" HZN_Switchboard__ExchangeUrl="$HZN_EXCHANGE_URL/" \
  HZN_Switchboard__ExchangeCredentialsFile="$STATE/root-credentials" HZN_Switchboard__StateDirectory="$STATE/switchboard" \
  "${SWITCHBOARD[@]}" --urls "http://127.0.0.1:$SWITCHBOARD_PORT")
wait_port switchboard "$SWITCHBOARD_PORT"

if ((TOKEN_PATH == 1)); then
  step "starting the node agent on http://127.0.0.1:$AGENT_PORT"
  AGENT_IDENTITY=(NodeAgent__NodeId="$NODE_ID" NodeAgent__Organization="$ORG" NodeAgent__ExchangeUrl="$HZN_EXCHANGE_URL")
else
  step "starting the node agent on http://127.0.0.1:$AGENT_PORT; it enrolls first (no node id, no token) and talks mTLS from then on"
  # The machine id names the node (the rule's prefix + it); a fixed one keeps the quickstart's node 'node-1'.
  AGENT_IDENTITY=(NodeAgent__ExchangeUrl="https://127.0.0.1:$EXCHANGE_TLS_PORT/v1" NodeAgent__Enrollment__Org="$ORG"
    NodeAgent__Enrollment__CertificateFile="$STATE/enrollment/enrollment.crt" NodeAgent__Enrollment__KeyFile="$STATE/enrollment/enrollment.key"
    NodeAgent__Enrollment__CaFile="$STATE/enrollment/ca.crt" NodeAgent__Enrollment__MachineId=1)
fi
mkdir -p "$STATE/node-agent"
(cd "$STATE/node-agent" && export NodeAgent__Registries__0__Password="$REGISTRY_PASSWORD" && start node-agent env "${AGENT_IDENTITY[@]}" \
  NodeAgent__StateDirectory="$STATE/node-agent" NodeAgent__ApiUrl="http://127.0.0.1:$AGENT_PORT" \
  NodeAgent__NatsUrl="nats://127.0.0.1:$NATS_PORT" NodeAgent__SwitchboardUrl="http://127.0.0.1:$SWITCHBOARD_PORT" \
  NodeAgent__Registries__0__Server="$REGISTRY" NodeAgent__Registries__0__UserName="$REGISTRY_USER" \
  "${AGENT[@]}")
wait_port node-agent "$AGENT_PORT"
if ((TOKEN_PATH == 0)); then
  NODE_ID=node-1
  request="$(hzn exchange node requests --state approved --json | jq -r '.[0].id')"
  printf '    enrolled as %s/%s: request %s approved by rule quickstart; without the rule an org admin would run
' "$ORG" "$NODE_ID" "$request"
  printf '      hzn exchange node approve %s --node %s --pattern hello-edge
' "$request" "$NODE_ID"
fi

step "starting agbot agbot1 on http://127.0.0.1:$AGBOT_PORT (it proves its key to the switchboard for its NATS JWT)"
mkdir -p "$STATE/agbot"
(cd "$STATE/agbot" && export Agbot__Token="$AGBOT_TOKEN" && start agbot env Agbot__Org="$ORG" Agbot__Id=agbot1 \
  Agbot__ExchangeUrl="$HZN_EXCHANGE_URL" Agbot__NatsUrl="nats://127.0.0.1:$NATS_PORT" \
  Agbot__SwitchboardUrl="http://127.0.0.1:$SWITCHBOARD_PORT" Agbot__StateDirectory="$STATE/agbot" \
  Agbot__LocalApiUrl="http://127.0.0.1:$AGBOT_PORT" \
  "${AGBOT[@]}")
wait_port agbot "$AGBOT_PORT"

if ((TOKEN_PATH == 1)); then
  step "registering $NODE_ID to pattern hello-edge and waiting for the agreement"
  HZN_DEVICE_ID="$NODE_ID" HZN_DEVICE_TOKEN="$NODE_TOKEN" hzn register -p hello-edge -f "$SAMPLE/userinput.json" --wait --timeout 240 &
  register_pid=$!
  wait "$register_pid" \
    || fail "no finalized agreement with running containers (see $STATE/logs/agbot.log, node-agent.log, switchboard.log)"
else
  step "waiting for the agreement on the enrolled node $NODE_ID (it registered itself with its approval's pattern)"
  for _ in $(seq 1 240); do
    docker ps -q --filter "label=org.openhorizon.horizon.service.org=$ORG" --filter "name=hello-consumer" --filter status=running | grep -q . && break
    sleep 1
  done
  docker ps -q --filter "label=org.openhorizon.horizon.service.org=$ORG" --filter "name=hello-consumer" --filter status=running | grep -q . \
    || fail "no agreement with running containers (see $STATE/logs/agbot.log, node-agent.log, switchboard.log)"
fi

step "the agreement, the containers and the consumer's output"
hzn agreement list
docker ps --filter "label=org.openhorizon.horizon.service.org=$ORG" --format 'table {{.Names}}\t{{.Image}}\t{{.Status}}'
sleep 5
consumer="$(docker ps -q --filter "label=org.openhorizon.horizon.service.org=$ORG" --filter "name=hello-consumer" | head -n 1)"
[[ -n "$consumer" ]] && docker logs --tail 5 "$consumer" 2>&1 || echo "(no hello-consumer container found)"
finish_step

if ((WITH_PROMETHEUS == 1)); then
  step "starting prometheus on http://127.0.0.1:$PROMETHEUS_PORT (scraping every component, alert rules from tools/prometheus/alerts.yml)"
  command -v prometheus >/dev/null || fail "prometheus is not installed (tools/setup.sh installs Debian's prometheus)"
  mkdir -p "$STATE/prometheus/data"
  cp "$ROOT/tools/prometheus/alerts.yml" "$STATE/prometheus/alerts.yml"
  cat >"$STATE/prometheus/prometheus.yml" <<YAML
global: { scrape_interval: 5s, evaluation_interval: 5s }
rule_files: [ "alerts.yml" ]
scrape_configs:
  - { job_name: exchange, static_configs: [ { targets: [ "127.0.0.1:$EXCHANGE_PORT" ] } ] }
  - { job_name: switchboard, static_configs: [ { targets: [ "127.0.0.1:$SWITCHBOARD_PORT" ] } ] }
  - { job_name: agbot, static_configs: [ { targets: [ "127.0.0.1:$AGBOT_PORT" ] } ] }
  - { job_name: node-agent, static_configs: [ { targets: [ "127.0.0.1:$AGENT_PORT" ] } ] }
YAML
  start prometheus prometheus --config.file="$STATE/prometheus/prometheus.yml" --storage.tsdb.path="$STATE/prometheus/data" \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" --storage.tsdb.retention.time=1d
  wait_port prometheus "$PROMETHEUS_PORT"
  finish_step
fi

cat <<MSG

quickstart: hello-edge is negotiated and running on node $NODE_ID ($( ((TOKEN_PATH == 1)) && echo "registered with a token" || echo "enrolled, mTLS with its device certificate")).
  console:    http://127.0.0.1:$EXCHANGE_PORT/console/  (org $ORG, user $USER_NAME, password in $STATE/hzn.env)
$( ((WITH_PROMETHEUS == 1)) && echo "  prometheus: http://127.0.0.1:$PROMETHEUS_PORT/graph?g0.expr=horizon_agbot_agreements" )
  try:  set -a; . $STATE/hzn.env; set +a; dotnet $STATE/bin/hzn/hzn.dll agreement list
  stop: $0 down
$( ((TOKEN_PATH == 0)) && echo "  the token way (Open Horizon's): $0 down; $0 --token" )
MSG
