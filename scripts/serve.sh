#!/usr/bin/env bash
# The main job on a fresh clone: creates .venv, installs Nianbao, builds the bundled reports (reports/) into
# datapackages/ and site/, then serves the site on http://127.0.0.1:8000/ (Ctrl-C stops).
#   bash scripts/serve.sh               # the bundled reports
#   bash scripts/serve.sh --port 8001   # extra arguments go to `nianbao serve`
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .

.venv/bin/nianbao build --reports reports --out .
exec .venv/bin/nianbao serve --out . "$@"
