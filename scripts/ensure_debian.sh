#!/usr/bin/env bash
# Install a Debian package the tests need when its command is missing: ensure_debian.sh COMMAND PACKAGE.
set -euo pipefail
command -v "$1" >/dev/null 2>&1 && exit 0
echo "Installing Debian's $2 for the tests" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y --no-install-recommends "$2" >/dev/null 2>&1 \
    || { $SUDO apt-get update -qq && $SUDO apt-get install -y --no-install-recommends "$2" >/dev/null; }
command -v "$1" >/dev/null 2>&1 || { echo "FAIL: $2 could not be installed" >&2; exit 1; }
