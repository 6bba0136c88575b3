#!/usr/bin/env bash
# Issues the same N names with lego, certbot and autocert4j against one local Pebble on this
# machine (HTTP-01, ECDSA P-256, one account per client, PEBBLE_VA_NOSLEEP=1,
# PEBBLE_AUTHZREUSE=0, PEBBLE_WFE_NONCEREJECT=0) and prints one table.
# Usage: benchmarks/compare.sh [N]   (needs: apt-get install -y pebble lego certbot)
set -euo pipefail
N=${1:-20}
cd "$(dirname "$0")/.."
for tool in pebble lego certbot; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y pebble lego certbot" >&2; exit 1; }
done
mvn -B -q install -DskipTests >/dev/null
mvn -B -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$PWD/benchmarks/target/classpath.txt" >/dev/null
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
WORK=$(mktemp -d)
trap 'exec 3>&- 2>/dev/null || true; wait 2>/dev/null || true; cp "$WORK"/*.log /tmp/ 2>/dev/null || true; rm -rf "$WORK"' EXIT

# One Pebble for lego and certbot, fed from a FIFO so that closing it stops Pebble.
mkfifo "$WORK/in"
java -cp "$CP" dev.autocert4j.benchmarks.PebbleMain "$WORK/ca.pem" < "$WORK/in" > "$WORK/pebble.out" 2>/dev/null &
exec 3>"$WORK/in"
for _ in $(seq 1 150); do grep -q HTTP_PORT "$WORK/pebble.out" 2>/dev/null && break; sleep 0.1; done
DIRECTORY=$(sed -n 's/^DIRECTORY=//p' "$WORK/pebble.out")
HTTP_PORT=$(sed -n 's/^HTTP_PORT=//p' "$WORK/pebble.out")

stats() { # name, file of per-certificate milliseconds
  sort -n "$2" | awk -v name="$1" '{a[NR]=$1; s+=$1} END {
    p50=a[int((NR+1)/2)]; p90=a[int(NR*0.9+0.999)]; if (p90=="") p90=a[NR];
    printf "| %-10s | %5d | %8.1f | %8.1f | %8.1f | %8.1f | %7.2f |\n", name, NR, a[1], p50, p90, a[NR], NR/(s/1000) }'
}
now_ms() { date +%s%3N; }

: > "$WORK/lego.ms"
for i in $(seq 1 "$N"); do
  t0=$(now_ms)
  LEGO_CA_CERTIFICATES="$WORK/ca.pem" lego --server "$DIRECTORY" --accept-tos --email bench@example.test \
    --path "$WORK/lego" --key-type ec256 --http --http.port "127.0.0.1:$HTTP_PORT" \
    --domains "lego-$i.bench.test" run >>"$WORK/lego.log" 2>&1
  echo $(( $(now_ms) - t0 )) >> "$WORK/lego.ms"
done

: > "$WORK/certbot.ms"
for i in $(seq 1 "$N"); do
  t0=$(now_ms)
  REQUESTS_CA_BUNDLE="$WORK/ca.pem" certbot certonly --non-interactive --agree-tos -m bench@example.test \
    --no-eff-email --server "$DIRECTORY" --standalone --http-01-address 127.0.0.1 --http-01-port "$HTTP_PORT" \
    --key-type ecdsa --elliptic-curve secp256r1 \
    --config-dir "$WORK/certbot" --work-dir "$WORK/certbot" --logs-dir "$WORK/certbot" \
    -d "certbot-$i.bench.test" >>"$WORK/certbot.log" 2>&1
  echo $(( $(now_ms) - t0 )) >> "$WORK/certbot.ms"
done
exec 3>&-
wait

# autocert4j: the harness's sequential run on its own Pebble with the same settings, in one JVM
# (a library is measured per obtain(), the CLIs per process start, as each is used).
java -cp "$CP" dev.autocert4j.benchmarks.IssuanceHarness --count "$N" --concurrency 1 > "$WORK/ours.out" 2>/dev/null

echo "| client     | certs |  min ms  |  p50 ms  |  p90 ms  |  max ms  | cert/s  |"
echo "|------------|-------|----------|----------|----------|----------|---------|"
stats lego "$WORK/lego.ms"
stats certbot "$WORK/certbot.ms"
grep "HTTP-01 sequential" "$WORK/ours.out" | awk -F'|' '{printf "| %-10s | %5d | %8.1f | %8.1f | %8.1f | %8.1f | %7.2f |\n", "autocert4j", $3, $5, $6, $7, $8, $9}'
