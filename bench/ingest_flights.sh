#!/usr/bin/env bash
# Ingest benchmark (release build): nycflights13 JSON lines into Henge, plain and
# rolled up (hour x carrier x origin x dest; day x carrier x origin), with
# maxNumTasks 2 and 3, next to DuckDB and chDB doing the same ingest in the same
# run, plus how long a cancel takes. The driver is bench/ingest_flights.py.
#
#   bench/ingest_flights.sh [FILE]      FILE defaults to /tmp/henge-bench/flights.json
#   (make it with: python3 ../shared/bench/make_data.py --data /tmp/henge-bench --small-only)
#   BIG=1 bench/ingest_flights.sh       the 10M-row file (flights10m.json, made with make_data.py),
#                                       PARTITIONED BY MONTH (30 years of DAY chunks exceed TooManyBuckets)
#
# Environment: TASKS (maxNumTasks values, default "2 3"), CASES (default
# "plain rollup rollup_day cancel"), PEERS (default "duckdb chdb"; "" for none),
# GRANULARITY (default DAY; MONTH with BIG=1), WORKER_MEMORY (henge serve
# --worker-memory, default the server's 1GiB), CONTEXT (extra context JSON merged
# into each query's, e.g. '{"rowsInMemory":1000000}'), CANCEL_AFTER (seconds before
# the cancel case's /shutdown, default 3), SCRATCH (SwiftPM scratch path, default .build).
# A benchmark, not a test: numbers depend on the machine and what else runs — on a
# small VM by tens of percent between runs; run it a few times into logs and
# summarize them with bench/summarize_runs.py (medians and per-run ratios).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIG="${BIG:-0}"
if [ "$BIG" = 1 ]; then DEFAULT_FILE=/tmp/henge-bench/flights10m.json; DEFAULT_GRAN=MONTH; else DEFAULT_FILE=/tmp/henge-bench/flights.json; DEFAULT_GRAN=DAY; fi
FILE="${1:-$DEFAULT_FILE}"
export GRANULARITY="${GRANULARITY:-$DEFAULT_GRAN}"
export PEER_TASK="${PEER_TASK:-$ROOT/../shared/bench/peer_task.py}"
SCRATCH="${SCRATCH:-$ROOT/.build}"
[ -f "$FILE" ] || { echo "missing $FILE"; exit 2; }
python3 -c "import duckdb, chdb" 2>/dev/null || pip install -q duckdb==2.0.1 chdb==4.4.0
[ -x /usr/bin/time ] || apt-get install -y time
swift build -c release --product henge --package-path "$ROOT" --scratch-path "$SCRATCH" >/dev/null
BIN="$SCRATCH/release/henge"
DIR=$(mktemp -d)
trap 'kill $PID 2>/dev/null; rm -rf "$DIR"' EXIT
SERVE_ARGS=()
[ -n "${WORKER_MEMORY:-}" ] && SERVE_ARGS+=(--worker-memory "$WORKER_MEMORY")
"$BIN" serve --port 0 --data-dir "$DIR/var" --allow-local-dir "$(dirname "$FILE")" "${SERVE_ARGS[@]}" > "$DIR/log" 2>&1 &
PID=$!
for _ in $(seq 100); do grep -q listening "$DIR/log" && break; sleep 0.1; done
PORT=$(sed -n 's/.*127.0.0.1:\([0-9]*\).*/\1/p' "$DIR/log" | head -1)
cat "$FILE" > /dev/null  # page cache warm: every engine reads from memory
python3 "$ROOT/bench/ingest_flights.py" "$BIN" "$DIR/var" "$FILE" "$PORT" "$PID"
