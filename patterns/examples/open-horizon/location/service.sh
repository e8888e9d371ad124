# The location service: serves a position on http://location:8348/. It reads the GPS device
# its deployment maps to /dev/gps when there is one, else uses LATITUDE and LONGITUDE (user
# inputs with defaults), and counts its fixes in /cache, a folder bound from the host, so the
# count survives a restart.
trap 'exit 0' TERM
mkdir -p /www /cache
fixes=$(cat /cache/fixes 2>/dev/null || echo 0)
if [ -c /dev/gps ]; then source=device; else source=fixed; fi
echo "starting" > /www/index.html
httpd -p 8348 -h /www
while true; do
  fixes=$((fixes + 1))
  echo "$fixes" > /cache/fixes
  echo "$LATITUDE,$LONGITUDE ($source, fix $fixes)" > /www/next && mv /www/next /www/index.html
  sleep 2 & wait $!
done
