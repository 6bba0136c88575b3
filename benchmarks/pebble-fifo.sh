# Sourced by the benchmark scripts (not run on its own). start_pebble starts one local Pebble (PebbleMain) fed
# from a FIFO on file descriptor 3: each line written prints its request count, closing fd 3 stops Pebble.
# Needs CP (the class path) and WORK (a scratch directory, where ca.pem gets Pebble's TLS anchor); sets
# DIRECTORY and HTTP_PORT. The caller's EXIT trap closes fd 3 and waits (coldstart_pebble sets one).
start_pebble() {
  mkfifo "$WORK/in"
  java -cp "$CP" dev.autocert4j.benchmarks.PebbleMain "$WORK/ca.pem" < "$WORK/in" > "$WORK/pebble.out" 2>/dev/null &
  exec 3>"$WORK/in"
  for _ in $(seq 1 300); do grep -q HTTP_PORT "$WORK/pebble.out" 2>/dev/null && break; sleep 0.1; done
  DIRECTORY=$(sed -n 's/^DIRECTORY=//p' "$WORK/pebble.out")
  HTTP_PORT=$(sed -n 's/^HTTP_PORT=//p' "$WORK/pebble.out")
}

# The coldstart scripts' set-up: CP of jars only (a class-data archive refuses directories on the class path),
# WORK with an EXIT trap that stops Pebble and removes it, Pebble started, and ColdStartMain's ARGS.
coldstart_pebble() {
  CP="$(ls benchmarks/target/autocert4j-benchmarks-*.jar):$(cat benchmarks/target/classpath.txt)"
  WORK=$(mktemp -d)
  trap 'exec 3>&- 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
  start_pebble
  ARGS=("$DIRECTORY" "$WORK/ca.pem" "$HTTP_PORT")
}
