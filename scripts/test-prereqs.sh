#!/usr/bin/env bash
# Installs what the tests need: Debian's Jupyter client side (nbclient, nbformat, jupyter_client,
# nbconvert) for /usr/bin/python3 (notebook tests) and gcc (the external mlet tests compile C mlets).
# Quiet when everything is there; installs it when run as root; otherwise says in one line what to
# install and fails.
set -euo pipefail

# ---- browser tests (portal; owned by the portal engineer; self-contained, returns to the script) ----
# org.packetlab.portal.PortalBrowserTest drives Debian's chromium through Debian's chromedriver; nothing is
# downloaded at test time. This block comes first because the block below ends the script when it is done.
browser_packages="chromium chromium-driver"
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "test-prereqs: the browser tests need Debian's chromium: run (as root) apt-get install -y --no-install-recommends $browser_packages" >&2
    exit 1
  fi
  echo "test-prereqs: installing $browser_packages" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $browser_packages >/dev/null
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    echo "test-prereqs: installed $browser_packages but /usr/bin/chromium or /usr/bin/chromedriver is still missing" >&2
    exit 1
  fi
fi
# ---- end of browser tests ----

python=/usr/bin/python3
packages="python3-nbclient python3-nbformat python3-jupyter-client jupyter-client jupyter-core jupyter-nbconvert gcc libc6-dev"
present() { command -v gcc >/dev/null 2>&1 && [ -x "$python" ] && "$python" -c 'import nbclient, nbformat, jupyter_client, nbconvert' >/dev/null 2>&1; }
present && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "test-prereqs: the tests need Jupyter for $python and gcc: run (as root) apt-get install -y --no-install-recommends $packages" >&2
  exit 1
fi
echo "test-prereqs: installing $packages" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $packages >/dev/null
present || { echo "test-prereqs: installed $packages but gcc or $python's nbclient, nbformat, jupyter_client, nbconvert are still missing" >&2; exit 1; }
