#!/usr/bin/env bash
# Installs everything tskernel needs on a Debian/Ubuntu machine with Node >= 20.6: the Python
# Jupyter packages from apt (no PyPI needed) when missing, the npm dependencies, and the build.
# Safe to run again.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

# python3-yaml (Binder check), iproute2 (cross-host attach test in a network namespace) and the last four
# (test/gateway: Gateway Provisioners' imports, a throwaway sshd) are for the tests.
APT_PACKAGES=(python3-jupyter-client python3-jupyter-kernel-test python3-pytest python3-nbclient python3-nbformat python3-jupyter-server python3-jupyterlab-server jupyter-nbconvert python3-yaml iproute2 python3-pycryptodome python3-paramiko python3-pexpect openssh-server)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if command -v apt-get >/dev/null; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "setup: installing ${missing[*]} with apt-get"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: please install these Debian/Ubuntu packages (or their equivalents): ${missing[*]}" >&2
    exit 1
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
# The framework servers the attach tests run (test/fixtures/frameworks: Express, Fastify, Koa) have
# their own install, like a user's project beside the notebook.
FW=test/fixtures/frameworks
if [ ! -d "$FW/node_modules" ] || [ "$FW/package-lock.json" -nt "$FW/node_modules/.package-lock.json" ]; then
  echo "setup: npm ci in $FW"
  (cd "$FW" && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "setup: building"
# The kernel (tsc -b kernel, its minified TypeScript copy), the JupyterLab extension (labextension/prebuilt), the agent.
npm run --silent build
chmod +x kernel/dist/cli/main.js
