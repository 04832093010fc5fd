#!/usr/bin/env bash
# Differential SQL suite: the real nycflights13 flights loaded into Henge and into DuckDB,
# the queries of tests/differential/queries.py compared result by result.
#
#   HENGE_BIN=/path/to/henge tests/differential/run.sh [extra pytest args]
#
# HENGE_BIN defaults to .build/debug/henge. The venv (.build-diff/venv) is (re)installed
# from requirements.txt when that file changes; the data (.build-diff/data/flights.json) is
# generated once by ../shared/bench/make_data.py (shared/ beside the clone, else
# $HENGE_SHARED). The server runs on a free port with a temp data dir and is stopped at exit.
# Exits with pytest's status; pytest's summary line is the last line printed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIFF="$ROOT/tests/differential"
BUILD="$ROOT/.build-diff"
VENV="$BUILD/venv"
DATA="$BUILD/data"
PYTHON="${PYTHON:-python3}"

HENGE_BIN="${HENGE_BIN:-$ROOT/.build/debug/henge}"
case "$HENGE_BIN" in /*) ;; *) HENGE_BIN="$PWD/$HENGE_BIN" ;; esac
if [ ! -x "$HENGE_BIN" ]; then
    echo "differential: henge binary not found at $HENGE_BIN (build it, or set HENGE_BIN)" >&2
    exit 2
fi

if [ -f "$ROOT/../shared/bench/make_data.py" ]; then
    SHARED="$(cd "$ROOT/../shared" && pwd)"
elif [ -n "${HENGE_SHARED:-}" ] && [ -f "$HENGE_SHARED/bench/make_data.py" ]; then
    SHARED="$HENGE_SHARED"
else
    echo "differential: no shared/bench/make_data.py beside the repo ($ROOT/../shared) nor in \$HENGE_SHARED" >&2
    exit 2
fi

mkdir -p "$BUILD"
if [ ! -x "$VENV/bin/python" ]; then
    echo "differential: creating $VENV"
    "$PYTHON" -m venv "$VENV" || { echo "differential: cannot create a venv with $PYTHON" >&2; exit 2; }
fi
STAMP="$VENV/.requirements.txt"
if ! cmp -s "$DIFF/requirements.txt" "$STAMP"; then
    echo "differential: installing $DIFF/requirements.txt"
    if ! "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$DIFF/requirements.txt"; then
        echo "differential: pip install failed (is PyPI reachable?)" >&2
        exit 2
    fi
    cp "$DIFF/requirements.txt" "$STAMP"
fi

# The data, once: written into a temp dir and renamed, so an interrupted run leaves nothing half-made.
if [ ! -f "$DATA/MANIFEST.txt" ]; then
    echo "differential: generating $DATA with $SHARED/bench/make_data.py"
    rm -rf "$DATA.tmp"
    "$VENV/bin/python" "$SHARED/bench/make_data.py" --data "$DATA.tmp" --small-only >/dev/null
    rm -rf "$DATA"
    mv "$DATA.tmp" "$DATA"
fi

# The server: free port, temp data dir; stopped (and its dir removed) whatever happens.
WORK="$(mktemp -d "${TMPDIR:-/tmp}/henge-diff.XXXXXX")"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$HENGE_BIN" serve --host 127.0.0.1 --port 0 --data-dir "$WORK/data" --allow-local-dir "$DATA" >"$WORK/server.out" 2>"$WORK/server.err" </dev/null &
SERVER_PID=$!
HENGE_URL=""
for _ in $(seq 600); do
    HENGE_URL="$(sed -n 's|^henge listening on \(http://127\.0\.0\.1:[0-9]*\) .*|\1|p' "$WORK/server.out" | head -n 1)"
    [ -n "$HENGE_URL" ] && break
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
    sleep 0.1
done
if [ -z "$HENGE_URL" ]; then
    echo "differential: henge did not start listening; its stderr:" >&2
    tail -n 20 "$WORK/server.err" >&2
    exit 2
fi

export HENGE_URL HENGE_SERVER_STDERR="$WORK/server.err" HENGE_DIFF_DATA="$DATA/flights.json" PYTHONDONTWRITEBYTECODE=1
cd "$DIFF"
status=0
"$VENV/bin/python" -m pytest -c "$DIFF/pytest.ini" "$@" || status=$?
exit "$status"
