#!/bin/sh
# Cross-JVM watch latency in a low-latency deployment, on this machine and without a reboot: every
# task of the machine that can move is moved off the last CPU (what the kernel's isolcpus= does at
# boot), the benchmark's JVMs start on the other CPUs, the watcher thread binds itself to the last
# CPU and the writer thread runs at nice -20, ahead of the machine's background threads. Every task's
# CPU affinity is put back on exit. Needs root (or CAP_SYS_NICE and the right to move every task),
# Linux, taskset and renice, and at least 2 CPUs.
# Usage (from the repository root, after `mvn -B -q -DskipTests install`):
#   sh bench/watch-latency-isolated.sh [changes (200000)] [modes (await,journal)] [pacing (park)]
set -u
CHANGES=${1:-200000}
MODES=${2:-await,journal}
PACING=${3:-park}
cd "$(dirname "$0")/.." || exit 1
CPUS=$(nproc)
if [ "$CPUS" -lt 2 ]; then
  echo "watch-latency-isolated: needs at least 2 CPUs, this process may use $CPUS" >&2
  exit 2
fi
if [ "$(id -u)" != 0 ]; then
  echo "watch-latency-isolated: needs root, to move every task off the watcher's CPU and renice the writer" >&2
  exit 2
fi
WATCHER=$((CPUS - 1))
OTHERS=0-$((WATCHER - 1))
SAVED=$(mktemp /tmp/memoir-affinity.XXXXXX)
restore() {
  while read -r tid mask; do
    taskset -p "$mask" "$tid" >/dev/null 2>&1
  done < "$SAVED"
  rm -f "$SAVED"
}
trap 'restore' EXIT
trap 'exit 130' INT TERM
for t in /proc/[0-9]*/task/[0-9]*; do
  tid=${t##*/}
  mask=$(taskset -p "$tid" 2>/dev/null | sed 's/.*: //') || continue
  [ -n "$mask" ] || continue
  echo "$tid $mask" >> "$SAVED"
  taskset -p -c "$OTHERS" "$tid" >/dev/null 2>&1 # per-CPU kernel threads refuse, and stay
done
echo "moved every movable task to CPUs $OTHERS; the watcher gets CPU $WATCHER alone"
taskset -c "$OTHERS" mvn -B -q -pl bench exec:exec -Dbench.main=io.memoir.bench.WatchLatency \
  -Dbench.args="$CHANGES 20 $MODES $PACING watcher-cpu=$WATCHER"
