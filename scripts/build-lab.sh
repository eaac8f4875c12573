#!/usr/bin/env bash
# Builds the bundled JupyterLab 4.5 app (lab/app -> lab/app/static) when it is missing or older
# than its sources or the lockfile. Dev build (webpack, ~15-40 s); LAB_BUILD_PROD=1 minifies.
# Needs the root npm install (scripts/setup.sh). Pass --force to rebuild anyway.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
APP="$ROOT/lab/app"
STAMP="$APP/static/.build-stamp"
cd "$ROOT"

stale=0
if [ "${1:-}" = "--force" ] || [ ! -f "$STAMP" ] || [ ! -f "$APP/static/bundle.js" ]; then
  stale=1
else
  for f in "$ROOT/package-lock.json" "$APP/package.json" "$APP/webpack.config.js" "$APP/index.template.js" \
           "$APP/bootstrap.js" "$APP/publicpath.js"; do
    if [ "$f" -nt "$STAMP" ]; then stale=1; break; fi
  done
fi
if [ "$stale" = 0 ]; then
  echo "build-lab: lab/app/static is up to date"
  exit 0
fi
if [ ! -x "$ROOT/node_modules/.bin/webpack" ] || [ ! -d "$ROOT/node_modules/@jupyterlab/builder" ]; then
  echo "build-lab: node_modules lacks webpack/@jupyterlab/builder; run scripts/setup.sh (npm ci) first" >&2
  exit 1
fi
echo "build-lab: building the JupyterLab app (webpack${LAB_BUILD_PROD:+, production})"
start=$(date +%s)
if [ -n "${LAB_BUILD_PROD:-}" ]; then export NODE_ENV=production; fi
# webpack is chatty; keep its log and show it only on failure.
log="$(mktemp)"
if ! (cd "$APP" && "$ROOT/node_modules/.bin/webpack" --no-color >"$log" 2>&1); then
  tail -60 "$log" >&2
  rm -f "$log"
  echo "build-lab: webpack failed" >&2
  exit 1
fi
rm -f "$log"
date -u +%FT%TZ > "$STAMP"
echo "build-lab: done in $(( $(date +%s) - start )) s"
