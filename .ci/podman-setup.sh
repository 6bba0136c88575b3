#!/usr/bin/env bash
# Installs rootful podman with runc and writes the containers.conf this kind of CI machine needs:
# Debian's default runtime crun fails on its mixed cgroups, and root lacks CAP_SYS_RESOURCE, so
# podman's default ulimits cannot be set. Runs as root; installs only what is missing.
set -euo pipefail

if ! command -v podman >/dev/null 2>&1 || ! command -v runc >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y podman runc
fi

mkdir -p /etc/containers
cat > /etc/containers/containers.conf <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
