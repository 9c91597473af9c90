#!/bin/sh
# The browser tests drive Debian's Chromium; install it when we may (root), else say how.
set -e
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installerar Chromium för webbläsartesterna (apt-get install chromium)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "Webbläsartesterna behöver Debians Chromium: sudo apt-get install chromium" >&2
exit 1
