#!/usr/bin/env bash
# The whole test suite, from a fresh machine: setup (apt + npm + build), then unit tests,
# integration tests against the real kernel over ZeroMQ, the Jupyter conformance suite, the Binder
# check (postBuild + example notebooks) and the browser scenarios.
# Ends with one summary line: "N passed, N failed, N skipped".
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh || exit 1

ART="$ROOT/test-artifacts"
rm -rf "$ART" && mkdir -p "$ART"
status=0
npx jest --selectProjects unit --json --outputFile="$ART/unit.json" || status=1
npx jest --selectProjects integration --runInBand --testTimeout=60000 --json --outputFile="$ART/integration.json" || status=1
npx jest --config test/pack/jest.config.js --runInBand --json --outputFile="$ART/pack.json" || status=1  # packed packages used outside the repo (test/pack)
PYTEST_ADDOPTS="--junitxml=$ART/conformance.xml" bash test/conformance/run.sh || status=1
# Binder: postBuild into a throwaway prefix, then every example notebook executed headless.
bash scripts/check-binder.sh || status=1
# A real JupyterLab 4.5 in headless Chromium driving the debugger (it prints "N passed, N failed").
bash scripts/e2e.sh 2>&1 | tee "$ART/e2e.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
node scripts/summarize-tests.mjs "$ART" || status=1
exit $status
