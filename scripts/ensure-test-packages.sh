#!/bin/sh
# What the tests need from Debian: Chromium (browser tests), Pango/HarfBuzz and a font
# (WeasyPrint's PDFs), poppler-utils (pdftotext/pdfinfo in the PDF tests) and docker-compose
# (the deployment tests). Installs them when we may (root), else says how.
set -e
need=""
[ -x /usr/bin/chromium ] || need="$need chromium"
for package in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; do
  dpkg -s "$package" >/dev/null 2>&1 || need="$need $package"
done
command -v pdftotext >/dev/null 2>&1 || need="$need poppler-utils"
# The deployment tests read the compose file through docker-compose's own parser.
command -v docker-compose >/dev/null 2>&1 || need="$need docker-compose"
if [ -z "$need" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installerar testernas Debianpaket:$need"
  apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
  exit 0
fi
echo "Testerna behöver Debianpaketen:$need (sudo apt-get install$need)" >&2
exit 1
