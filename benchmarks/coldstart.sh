#!/usr/bin/env bash
# A fresh JVM's time to its first certificate on the demo's path (file store, new account,
# HTTP-01) against one local Pebble, R times, alternating a plain JVM with one that maps an
# application class-data archive (AppCDS, JDK 13+: -XX:ArchiveClassesAtExit once, then
# -XX:SharedArchiveFile). Prints ColdStartMain's marks and the wall time of each process.
# Usage: benchmarks/coldstart.sh [R]   after benchmarks/compare.sh (or the same mvn command) built the class path.
set -euo pipefail
R=${1:-3}
cd "$(dirname "$0")/.."
. benchmarks/pebble-fifo.sh
coldstart_pebble # CP (jars only), WORK, Pebble, ARGS
now_ms() { date +%s%3N; }
cold() { # label, JVM options...
  local label=$1; shift
  local t0; t0=$(now_ms)
  java "$@" -cp "$CP" dev.autocert4j.benchmarks.ColdStartMain "${ARGS[@]}" | sed "s/^/$label: /"
  echo "$label: process $(( $(now_ms) - t0 )) ms from exec to exit (load average $(cut -d' ' -f1 /proc/loadavg))"
}
cold "archive run" -XX:ArchiveClassesAtExit="$WORK/app.jsa" >/dev/null
for i in $(seq 1 "$R"); do
  cold "plain #$i"
  cold "AppCDS #$i" -XX:SharedArchiveFile="$WORK/app.jsa"
done
