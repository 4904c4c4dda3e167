#!/bin/sh
# Shares a ~1 KiB config: Memoir vs the seed's jsonmmap in Python vs Redis SET/GET on loopback.
# Installs Redis from Debian's packages if it is missing (Redis is skipped, with a message, if that
# fails), starts a private server on 127.0.0.1:6390 without persistence, runs the harness, stops it.
# Usage (from the repository root, after `mvn -B -q -DskipTests install`): sh bench/config-share.sh
set -u
PORT=6390
cd "$(dirname "$0")/.." || exit 1
if ! command -v redis-server >/dev/null 2>&1; then
  echo "redis-server not found: installing Debian's redis-server package"
  (apt-get install -y -q redis-server >/dev/null 2>&1 || (apt-get update -q >/dev/null 2>&1 \
    && apt-get install -y -q redis-server >/dev/null 2>&1)) \
    || echo "could not install redis-server: the Redis row will say skipped"
fi
PIDFILE=$(mktemp -u /tmp/memoir-bench-redis.XXXXXX)
if command -v redis-server >/dev/null 2>&1; then
  redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$PIDFILE" --logfile /dev/null
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    redis-cli -p "$PORT" ping >/dev/null 2>&1 && break
    sleep 0.2
  done
fi
mvn -B -q -pl bench exec:exec -Dbench.main=io.memoir.bench.ConfigShare -Dbench.args="$PORT"
STATUS=$?
[ -f "$PIDFILE" ] && kill "$(cat "$PIDFILE")"
exit $STATUS
