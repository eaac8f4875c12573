#!/usr/bin/env bash
# The whole test suite, from a fresh machine: setup (apt + npm + build), the quality gates
# (typecheck: tsc -b on the solution tsconfig, tests included; lint: ESLint with the seams; format:
# Prettier's check), then unit tests,
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
# A gate counts as one check in the summary: NAME.gate holds "passed" or "failed", NAME.out its output.
gate() {
  local name=$1
  shift
  if "$@" >"$ART/$name.out" 2>&1; then echo passed >"$ART/$name.gate"; else echo failed >"$ART/$name.gate"; status=1; fi
  echo "$name: $(cat "$ART/$name.gate")"
  tail -n 40 "$ART/$name.out"
}
gate typecheck npm run --silent typecheck
gate lint npm run --silent lint
gate format npm run --silent format:check
npx jest --selectProjects unit --json --outputFile="$ART/unit.json" || status=1
npx jest --selectProjects integration --runInBand --testTimeout=60000 --json --outputFile="$ART/integration.json" || status=1
npx jest --config test/pack/jest.config.js --runInBand --json --outputFile="$ART/pack.json" || status=1  # packed packages used outside the repo (test/pack)
PYTEST_ADDOPTS="--junitxml=$ART/conformance.xml" bash test/conformance/run.sh || status=1
PYTEST_ADDOPTS="--junitxml=$ART/gateway.xml" bash test/gateway/run.sh || status=1  # under Gateway Provisioners, over SSH (test/gateway)
# Binder: postBuild into a throwaway prefix, then every example notebook executed headless.
bash scripts/check-binder.sh || status=1
# A real JupyterLab 4.5 in headless Chromium driving the debugger (it prints "N passed, N failed").
bash scripts/e2e.sh 2>&1 | tee "$ART/e2e.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
node scripts/summarize-tests.mjs "$ART" || status=1
exit $status
