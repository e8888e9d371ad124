# The greeting service: greets the node it runs on, as Open Horizon's agent names it
# (HZN_DEVICE_ID), with two user inputs: GREETING (its default is "Hello") and SIGNATURE.
# As PID 1, sh ignores SIGTERM unless it traps it; 'sleep & wait' keeps the trap responsive.
trap 'exit 0' TERM
: "${HZN_DEVICE_ID:?HZN_DEVICE_ID must be set}"
n=0
while true; do
  n=$((n + 1))
  echo "$GREETING, $HZN_DEVICE_ID! Greeting $n from $SIGNATURE (org $HZN_ORGANIZATION, pattern ${HZN_PATTERN:-none}, $HZN_ARCH, $HZN_CPUS CPUs, $HZN_RAM MB)"
  sleep "${GREETING_SECONDS:-5}" & wait $!
done
