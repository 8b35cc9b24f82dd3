#!/usr/bin/env bash
# Installs the Debian packages of the services the tests start themselves (PostgreSQL for the audit
# store tests), only when they are missing. Idempotent; needs root (or sudo) the first time.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null; then
  exit 0
fi
echo "services: installing PostgreSQL (Debian package) for the audit-store tests"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo > /dev/null; then SUDO="sudo"; else
    echo "services: PostgreSQL is missing and this user cannot install it: run 'apt-get install postgresql' as root" >&2
    exit 0  # the PostgreSQL tests then fail with that message
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends postgresql
# The package starts a cluster of its own on 5432; the tests run throwaway servers and need none.
if command -v pg_lsclusters > /dev/null; then
  pg_lsclusters -h 2>/dev/null | while read -r version name _; do
    $SUDO pg_ctlcluster "$version" "$name" stop 2>/dev/null || true
  done
fi
echo "services: PostgreSQL installed"
