#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (/usr/bin/chromium); the cluster test starts Debian's redis-server.
set -euo pipefail
here="$(dirname "$0")"
bash "$here/ensure_debian.sh" chromium chromium
bash "$here/ensure_debian.sh" redis-server redis-server
