# The sensor service: serves its latest reading (the host's one-minute load average, which the
# container sees in /proc/loadavg) on http://sensor:8347/ to the services that require it.
trap 'exit 0' TERM
mkdir -p /www
echo "${SENSOR_KIND}=starting" > /www/index.html
httpd -p 8347 -h /www
while true; do
  read -r load rest < /proc/loadavg
  echo "${SENSOR_KIND}=$load" > /www/next && mv /www/next /www/index.html
  sleep 2 & wait $!
done
