#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (/usr/bin/chromium); install it when the machine lacks it.
set -euo pipefail
command -v chromium >/dev/null 2>&1 && exit 0
echo "Installing Debian's chromium for the browser tests" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 \
    || { $SUDO apt-get update -qq && $SUDO apt-get install -y --no-install-recommends chromium >/dev/null; }
command -v chromium >/dev/null 2>&1 || { echo "FAIL: chromium could not be installed" >&2; exit 1; }
