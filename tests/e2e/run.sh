#!/usr/bin/env bash
# End-to-end client suite: pydruid (DB-API and SQLAlchemy) and plain `requests`
# against a real henge binary.
#
#   HENGE_BIN=/path/to/henge tests/e2e/run.sh [extra pytest args]
#
# HENGE_BIN defaults to .build/debug/henge. The venv lives in .build-e2e/venv and
# is (re)installed from tests/e2e/requirements.txt when that file changes.
# Exits with pytest's status; pytest's summary line is the last line printed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
E2E="$ROOT/tests/e2e"
VENV="$ROOT/.build-e2e/venv"
PYTHON="${PYTHON:-python3}"

HENGE_BIN="${HENGE_BIN:-$ROOT/.build/debug/henge}"
case "$HENGE_BIN" in /*) ;; *) HENGE_BIN="$PWD/$HENGE_BIN" ;; esac
if [ ! -x "$HENGE_BIN" ]; then
    echo "e2e: henge binary not found at $HENGE_BIN (build it, or set HENGE_BIN)" >&2
    exit 2
fi
export HENGE_BIN

if [ ! -x "$VENV/bin/python" ]; then
    echo "e2e: creating $VENV"
    "$PYTHON" -m venv "$VENV" || { echo "e2e: cannot create a venv with $PYTHON" >&2; exit 2; }
fi
STAMP="$VENV/.requirements.txt"
if ! cmp -s "$E2E/requirements.txt" "$STAMP"; then
    echo "e2e: installing $E2E/requirements.txt"
    if ! "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$E2E/requirements.txt"; then
        echo "e2e: pip install failed (is PyPI reachable?)" >&2
        exit 2
    fi
    cp "$E2E/requirements.txt" "$STAMP"
fi

cd "$E2E"
export PYTHONDONTWRITEBYTECODE=1
exec "$VENV/bin/python" -m pytest -c "$E2E/pytest.ini" "$@"
