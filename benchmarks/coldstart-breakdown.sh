#!/usr/bin/env bash
# Where a fresh JVM's CPU to its first certificate goes (ColdStartMain's demo path against one local
# Pebble): the classes loaded per library (one run with -Xlog:class+load), then R rounds alternating
# three JVMs that each leave one cost out: plain; C1 only (-XX:TieredStopAtLevel=1: no C2 compiles);
# BouncyCastle's jars copied without their signatures (the JVM verifies a signed jar when it first
# loads a class from it). Prints each run and the medians of CPU and wall time to the first certificate.
# Usage: benchmarks/coldstart-breakdown.sh [R]   after benchmarks/compare.sh (or the same mvn command) built the class path.
set -euo pipefail
R=${1:-5}
cd "$(dirname "$0")/.."
. benchmarks/pebble-fifo.sh
coldstart_pebble # CP (jars only), WORK, Pebble, ARGS
mkdir "$WORK/unsigned"
UNSIGNED_CP=$(tr ':' '\n' <<<"$CP" | while read -r jar; do
  case "$jar" in
    */bcprov-*|*/bcpkix-*|*/bcutil-*)
      cp "$jar" "$WORK/unsigned/"
      zip -q -d "$WORK/unsigned/$(basename "$jar")" 'META-INF/*.SF' 'META-INF/*.RSA' 'META-INF/*.DSA' 'META-INF/*.EC' >/dev/null || true
      echo "$WORK/unsigned/$(basename "$jar")" ;;
    *) echo "$jar" ;;
  esac
done | paste -sd:)

echo "classes loaded by the first certificate, by library:"
java -Xlog:class+load=info:file="$WORK/classes.log" -cp "$CP" dev.autocert4j.benchmarks.ColdStartMain "${ARGS[@]}" >/dev/null
sed -n 's/^.*\] \([^ ]*\) source: .*/\1/p' "$WORK/classes.log" | awk '{
  n = $1
  if (n ~ /^sun\.security\.ssl\./) g = "JSSE (sun.security.ssl)"
  else if (n ~ /^jdk\.internal\.net\.http\./) g = "JDK HTTP client"
  else if (n ~ /^(sun\.security|java\.security|javax\.crypto|com\.sun\.crypto)\./) g = "JCA, X.509, SunEC, SunJCE"
  else if (n ~ /^org\.bouncycastle\./) g = "BouncyCastle"
  else if (n ~ /^org\.jose4j\./) g = "jose4j"
  else if (n ~ /^org\.shredzone\./) g = "acme4j"
  else if (n ~ /^dev\.autocert4j\./) g = "autocert4j"
  else if (n ~ /\$\$Lambda|LambdaForm|^java\.lang\.invoke\./) g = "lambdas and method handles"
  else g = "other JDK (java.lang, java.util, NIO, time, ...)"
  count[g]++; total++
} END { for (g in count) printf "  %5d  %s\n", count[g], g; printf "  %5d  in all\n", total }' | sort -rn

run() { # label, class path, JVM options...: prints "label cpu_ms wall_ms"
  local label=$1 cp=$2; shift 2
  java "$@" -cp "$cp" dev.autocert4j.benchmarks.ColdStartMain "${ARGS[@]}" \
    | awk -v l="$label" '/^first certificate/ {print l, $10, $4}'
}
: > "$WORK/runs"
for i in $(seq 1 "$R"); do
  run plain "$CP" | tee -a "$WORK/runs"
  run c1-only "$CP" -XX:TieredStopAtLevel=1 | tee -a "$WORK/runs"
  run unsigned-bc "$UNSIGNED_CP" | tee -a "$WORK/runs"
  echo "  (round $i, load average $(cut -d' ' -f1 /proc/loadavg))"
done
echo "medians of $R (CPU ms to the first certificate, wall ms since JVM start):"
for label in plain c1-only unsigned-bc; do
  awk -v l="$label" '$1 == l {print $2, $3}' "$WORK/runs" | python3 -c '
import sys, statistics
rows = [line.split() for line in sys.stdin]
print("  %-12s CPU %6.0f ms   wall %6.0f ms" % (sys.argv[1], statistics.median(float(r[0]) for r in rows),
      statistics.median(float(r[1]) for r in rows)))' "$label"
done
