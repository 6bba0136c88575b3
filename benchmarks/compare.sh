#!/usr/bin/env bash
# Issues the same N names with lego, certbot, uacme and autocert4j against a local Pebble on this
# machine (HTTP-01, ECDSA P-256, one account per client, PEBBLE_VA_NOSLEEP=1,
# PEBBLE_AUTHZREUSE=0, PEBBLE_WFE_NONCEREJECT=0) and prints one table: per certificate the p50,
# p90 and max latency, ACME requests (from Pebble's request count) and CPU (user + system).
# The CLIs are measured per process, as they are used (start included); autocert4j per obtain()
# in one JVM, as a library is used (its cold start: README, "Performance").
# Accounts are registered before measuring (certbot register, uacme new), except lego's, which
# has no separate command: its first run also registers (about 3 requests more over N).
# uacme has no CA-bundle option: it runs in a private mount namespace (unshare -m, needs root)
# where /etc/ssl/certs holds only Pebble's TLS anchor. Its HTTP-01 files are served by
# python3 -m http.server.
# Usage: benchmarks/compare.sh [N]   (needs: apt-get install -y pebble lego certbot uacme python3;
#        MVN_FLAGS=-o for an offline build)
set -euo pipefail
N=${1:-20}
cd "$(dirname "$0")/.."
for tool in pebble lego certbot uacme python3 unshare; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y pebble lego certbot uacme python3" >&2; exit 1; }
done
# Builds the reactor into target/ (no install): the class path names the modules' jars.
mvn -B -q ${MVN_FLAGS:-} -pl benchmarks -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$PWD/benchmarks/target/classpath.txt" >/dev/null
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
WORK=$(mktemp -d)
WEB_PID=
trap '[ -n "$WEB_PID" ] && kill "$WEB_PID" 2>/dev/null; exec 3>&- 2>/dev/null || true; wait 2>/dev/null || true; cp "$WORK"/*.log /tmp/ 2>/dev/null || true; rm -rf "$WORK"' EXIT

# One Pebble for the CLIs, fed from a FIFO: each line written prints its request count, closing it stops Pebble.
. benchmarks/pebble-fifo.sh
start_pebble

now_ms() { date +%s%3N; }
requests() { # Pebble's request count so far
  local before; before=$(grep -c '^REQUESTS=' "$WORK/pebble.out" || true)
  echo >&3
  for _ in $(seq 1 100); do [ "$(grep -c '^REQUESTS=' "$WORK/pebble.out")" -gt "$before" ] && break; sleep 0.05; done
  sed -n 's/^REQUESTS=//p' "$WORK/pebble.out" | tail -1
}
measure() { # name, command...: wall ms to name.ms, user and system CPU seconds to name.cpu
  local name=$1; shift
  local t0; t0=$(now_ms)
  local TIMEFORMAT='%3U %3S'
  { time "$@" >>"$WORK/$name.log" 2>&1 ; } 2>>"$WORK/$name.cpu"
  echo $(( $(now_ms) - t0 )) >> "$WORK/$name.ms"
}
run_tool() { # name, then a function that issues certificate $1
  local name=$1 issue=$2 r0 r1
  : > "$WORK/$name.ms"; : > "$WORK/$name.cpu"
  r0=$(requests)
  for i in $(seq 1 "$N"); do measure "$name" "$issue" "$i"; done
  r1=$(requests)
  echo "$name $(( r1 - r0 ))" >> "$WORK/requests"
}
row() { # name: one table row from name.ms, name.cpu and the request count
  local req; req=$(awk -v n="$1" '$1 == n {print $2}' "$WORK/requests")
  sort -n "$WORK/$1.ms" | awk -v name="$1" -v req="$req" -v cpufile="$WORK/$1.cpu" '{a[NR]=$1} END {
    while ((getline line < cpufile) > 0) { split(line, t, " "); cpu += t[1] + t[2] }
    p50=a[int((NR+1)/2)]; p90=a[int(NR*0.9+0.999)]; if (p90=="") p90=a[NR];
    printf "| %-10s | %5d | %8.1f | %8.1f | %8.1f | %5.1f | %8.1f |\n", name, NR, p50, p90, a[NR], req/NR, cpu*1000/NR }'
}

lego_issue() {
  LEGO_CA_CERTIFICATES="$WORK/ca.pem" lego --server "$DIRECTORY" --accept-tos --email bench@example.test \
    --path "$WORK/lego" --key-type ec256 --http --http.port "127.0.0.1:$HTTP_PORT" \
    --domains "lego-$1.bench.test" run
}
run_tool lego lego_issue

CERTBOT_DIRS=(--config-dir "$WORK/certbot" --work-dir "$WORK/certbot" --logs-dir "$WORK/certbot")
REQUESTS_CA_BUNDLE="$WORK/ca.pem" certbot register --non-interactive --agree-tos -m bench@example.test \
  --no-eff-email --server "$DIRECTORY" "${CERTBOT_DIRS[@]}" >>"$WORK/certbot.log" 2>&1
certbot_issue() {
  REQUESTS_CA_BUNDLE="$WORK/ca.pem" certbot certonly --non-interactive --agree-tos -m bench@example.test \
    --no-eff-email --server "$DIRECTORY" --standalone --http-01-address 127.0.0.1 --http-01-port "$HTTP_PORT" \
    --key-type ecdsa --elliptic-curve secp256r1 "${CERTBOT_DIRS[@]}" -d "certbot-$1.bench.test"
}
run_tool certbot certbot_issue

# uacme: only Pebble's anchor in /etc/ssl/certs (private mount namespace), challenge files served from $WORK/www.
mkdir -p "$WORK/trust" "$WORK/www/.well-known/acme-challenge"
cp "$WORK/ca.pem" "$WORK/trust/ca-certificates.crt"
cat > "$WORK/hook.sh" <<HOOK
#!/bin/sh
# uacme hook: \$1 begin|done|failed, \$2 challenge type, \$3 identifier, \$4 token, \$5 key authorization
[ "\$2" = http-01 ] || exit 1 # decline the other challenge types
case "\$1" in
  begin) printf '%s' "\$5" > "$WORK/www/.well-known/acme-challenge/\$4" ;;
  *) rm -f "$WORK/www/.well-known/acme-challenge/\$4" ;;
esac
HOOK
chmod +x "$WORK/hook.sh"
python3 -m http.server --bind 127.0.0.1 --directory "$WORK/www" "$HTTP_PORT" >>"$WORK/uacme-web.log" 2>&1 &
WEB_PID=$!
for _ in $(seq 1 100); do (exec 9<>"/dev/tcp/127.0.0.1/$HTTP_PORT") 2>/dev/null && break; sleep 0.05; done
in_pebble_trust() {
  unshare -m sh -c 'mount --bind "$0" /etc/ssl/certs && exec "$@"' "$WORK/trust" "$@"
}
in_pebble_trust uacme -y -a "$DIRECTORY" -c "$WORK/uacme" new bench@example.test >>"$WORK/uacme.log" 2>&1
uacme_issue() {
  in_pebble_trust uacme -o -a "$DIRECTORY" -c "$WORK/uacme" -h "$WORK/hook.sh" -t EC -b 256 issue "uacme-$1.bench.test"
}
run_tool uacme uacme_issue
kill "$WEB_PID"; wait "$WEB_PID" 2>/dev/null || true; WEB_PID=
exec 3>&-
wait

# autocert4j: the harness's sequential run on its own Pebble with the same settings, in one JVM.
java -cp "$CP" dev.autocert4j.benchmarks.IssuanceHarness --count "$N" --concurrency 1 --sequential-only --http01-only \
  > "$WORK/ours.out" 2>/dev/null

echo "| client     | certs |  p50 ms  |  p90 ms  |  max ms  | req/c | CPU ms/c |"
echo "|------------|-------|----------|----------|----------|-------|----------|"
row lego
row certbot
row uacme
# harness columns: label, certs, cc, min, p50, p90, max, cert/s, req/c, CPU/c, ...
grep "HTTP-01 sequential" "$WORK/ours.out" | awk -F'|' '{printf "| %-10s | %5d | %8.1f | %8.1f | %8.1f | %5.1f | %8.1f |\n", "autocert4j", $3, $6, $7, $8, $10, $11}'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
