#!/usr/bin/env bash
# Installs what the tests need: Debian's Jupyter client side (nbclient, nbformat, jupyter_client,
# nbconvert) for /usr/bin/python3 (notebook tests) and gcc (the external mlet tests compile C mlets).
# Quiet when everything is there; installs it when run as root; otherwise says in one line what to
# install and fails.
set -euo pipefail
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
