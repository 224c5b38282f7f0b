#!/usr/bin/env bash
# Make sure a Chromium for the Playwright browser tests is present.
# Debian/Ubuntu as root: install Debian's `chromium` with apt-get (Playwright's own browser download
# does not work on every machine). Elsewhere: `playwright install chromium`. Otherwise: say what to do.
set -euo pipefail
PY=${1:-.venv/bin/python}
for candidate in "${ROI_KIT_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    echo "chromium: $candidate"
    exit 0
  fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "chromium: installing Debian's chromium with apt-get ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }
  [ -x /usr/bin/chromium ] && { echo "chromium: /usr/bin/chromium"; exit 0; }
fi
if "$PY" -m playwright install chromium; then
  echo "chromium: Playwright's bundled Chromium"
  exit 0
fi
cat >&2 <<MSG
No Chromium for the browser tests.
Install one of: Debian/Ubuntu 'apt-get install chromium' (as root), or 'python -m playwright install chromium',
or point ROI_KIT_CHROMIUM at a Chromium/Chrome executable.
MSG
exit 1
