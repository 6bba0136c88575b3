#!/usr/bin/env bash
# Builds localhost/pebble:local and localhost/pebble-challtestsrv:local from Debian's `pebble`
# package, laid out like the upstream images (ghcr.io/letsencrypt/pebble[-challtestsrv]): the
# binary is /app, the entry point, so the harness passes the same arguments to either. Used where
# no registry is reachable. Both binaries link only libc, so the root file system holds the binary,
# libc and the dynamic loader. No test certificates are baked in: PebbleServer generates Pebble's
# TLS certificate per server and copies it into the container with the configuration.
set -euo pipefail

command -v pebble >/dev/null 2>&1 || { echo "pebble is not installed: apt-get install -y pebble" >&2; exit 1; }

build() { # <binary> <image> <port>...
  local binary=$1 image=$2
  shift 2
  local rootfs
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' RETURN
  install -D -m 0755 "$(command -v "$binary")" "$rootfs/app"
  # The libraries the binary links, at the paths the loader looks for them.
  for library in $(ldd "$(command -v "$binary")" | grep -o '/[^ ]*'); do
    install -D -m 0755 "$(readlink -f "$library")" "$rootfs$library"
  done
  mkdir -p "$rootfs/tmp"
  local changes=(--change 'ENTRYPOINT ["/app"]')
  for port in "$@"; do
    changes+=(--change "EXPOSE $port")
  done
  tar -C "$rootfs" -c . | podman import "${changes[@]}" - "$image" >/dev/null
  echo "built $image from $(command -v "$binary")"
}

build pebble localhost/pebble:local 14000 15000
build pebble-challtestsrv localhost/pebble-challtestsrv:local 8053 8055
