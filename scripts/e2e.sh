#!/usr/bin/env bash
# Browser end-to-end tests: a real JupyterLab 4.5 (lab/app, served by Debian's jupyter_server via
# lab/server) in headless Debian chromium, driving tskernel's debugger (test/e2e).
#
#   bash scripts/e2e.sh [S1 S2 S3 S4]   # default: all scenarios (S3: the Node processes panel)
#
# From a fresh Debian/Ubuntu machine: installs chromium + the server packages with apt when
# missing, runs scripts/setup.sh (npm ci + kernel build), builds the app when stale, installs
# the kernelspecs and the JupyterLab extension (@tskernel/labextension) into a temporary prefix
# (the server loads extensions and settings overrides from it through JUPYTER_PATH), starts the
# server on 127.0.0.1 with a random token
# and a fresh root dir, runs the scenarios, and stops everything. Screenshots and DAP traces:
# test-artifacts/e2e/; timings: bench/results/lab.json. Last line: "N passed, N failed".
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

log() { echo "e2e: $*"; }

# 1. System packages (no PyPI): chromium for the browser, jupyter_server + jupyterlab_server
#    for the server. scripts/setup.sh installs the rest.
APT_PACKAGES=(chromium python3-jupyter-server python3-jupyterlab-server)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  log "apt-get install ${missing[*]}"
  timeout 600 $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive timeout 900 $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] || { echo "e2e: $CHROMIUM not found" >&2; exit 1; }

# 2. npm deps + kernel build, then the app.
timeout 900 bash scripts/setup.sh || { echo "e2e: scripts/setup.sh failed (npm ci or the kernel build)" >&2; exit 1; }
timeout 600 bash scripts/build-lab.sh || { echo "e2e: building lab/app failed" >&2; exit 1; }

# 3. A private temp dir for everything this run writes.
WORK="$(mktemp -d -t tskernel-e2e.XXXXXX)"
SERVER_PID=""
cleanup() {
  local rc=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    # jupyter_server shuts its kernels down on SIGTERM; give it a few seconds.
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "$rc" -ne 0 ] && [ -f "$WORK/server.log" ]; then
    mkdir -p "$ROOT/test-artifacts/e2e"
    cp "$WORK/server.log" "$ROOT/test-artifacts/e2e/server.log" || true
    echo "e2e: server log: test-artifacts/e2e/server.log" >&2
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

timeout 60 node kernel/dist/cli/main.js install --prefix "$WORK/prefix" >"$WORK/install.log"
if ! grep -q "installed JupyterLab extension" "$WORK/install.log"; then
  cat "$WORK/install.log" >&2
  echo "e2e: the JupyterLab extension was not installed (labextension/prebuilt missing?)" >&2
  exit 1
fi
export JUPYTER_PATH="$WORK/prefix/share/jupyter"

PORT="${E2E_PORT:-$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')}"
TOKEN="$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(24))')"
URL="http://127.0.0.1:$PORT"

# 4. The server: 127.0.0.1 only, random token, fresh root and run dirs.
mkdir -p "$WORK/root"
LAB_TOKEN="$TOKEN" lab/server/serve.sh --port "$PORT" --ip 127.0.0.1 --root "$WORK/root" --run-dir "$WORK/run" \
  >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

ready=0
for _ in $(seq 1 300); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
  code="$(timeout 5 node -e 'fetch(process.argv[1]).then(r => console.log(r.status), () => console.log(0))' "$URL/lab?token=$TOKEN" 2>/dev/null || echo 0)"
  if [ "$code" = 200 ]; then ready=1; break; fi
  sleep 0.1
done
if [ "$ready" != 1 ]; then
  echo "e2e: server did not answer /lab with 200" >&2
  tail -40 "$WORK/server.log" >&2
  exit 1
fi
log "server ready at $URL"

# 5. The scenarios.
mkdir -p "$WORK/tmp"
rm -rf test-artifacts/e2e
status=0
LAB_URL="$URL" LAB_TOKEN="$TOKEN" E2E_TMP="$WORK/tmp" CHROMIUM="$CHROMIUM" \
  timeout "${E2E_TIMEOUT:-420}" node test/e2e/run.js "$@" || status=$?
if [ "$status" -ne 0 ]; then
  cp "$WORK/server.log" test-artifacts/e2e/server.log 2>/dev/null || true
fi
exit "$status"
