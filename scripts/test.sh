#!/usr/bin/env bash
# The test command (README): installs everything the tests need on a bare Debian machine, then runs them.
#   bash scripts/test.sh            # all tests
#   bash scripts/test.sh -k seeds   # extra arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system-deps.sh

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
# axe-core (WCAG checks in the browser tests), from the npm registry at the version package-lock.json pins
if ! cmp -s tests/a11y/package-lock.json tests/a11y/node_modules/.installed-lock.json 2>/dev/null; then
  npm ci --prefix tests/a11y --no-audit --no-fund --silent
  cp tests/a11y/package-lock.json tests/a11y/node_modules/.installed-lock.json
fi

exec .venv/bin/python -m pytest "$@"
