# The publisher service: every SAMPLE_SECONDS, reads the sensor and the location it requires
# (by their service names, over their private networks) and "publishes" a sample to
# PUBLISH_TOPIC: it prints it, so 'hzn service log publisher' shows what it sent.
# busybox wget -T segfaults here, so timeout bounds each call.
trap 'exit 0' TERM
: "${HZN_DEVICE_ID:?HZN_DEVICE_ID must be set}"
: "${PUBLISH_TOPIC:?PUBLISH_TOPIC must be set (a user input without a default)}"
n=0
while true; do
  n=$((n + 1))
  reading=$(timeout 3 wget -q -O - http://sensor:8347/ 2>/dev/null || echo "sensor unreachable")
  where=$(timeout 3 wget -q -O - http://location:8348/ 2>/dev/null || echo "location unreachable")
  echo "sample $n to $PUBLISH_TOPIC from $HZN_DEVICE_ID: $reading at $where"
  sleep "${SAMPLE_SECONDS:-3}" & wait $!
done
