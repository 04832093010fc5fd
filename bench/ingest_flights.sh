#!/usr/bin/env bash
# Ingest benchmark (release build): nycflights13 JSON lines into Henge, plain and
# rolled up, next to DuckDB doing the same work in the same run.
#
#   bench/ingest_flights.sh [FILE]      FILE defaults to /tmp/henge-bench/flights.json
#   (make it with: python3 ../shared/bench/make_data.py --data /tmp/henge-bench --small-only)
#   BIG=1 bench/ingest_flights.sh       the 10M-row file (flights10m.json, made with make_data.py),
#                                       PARTITIONED BY MONTH (30 years of DAY chunks exceed TooManyBuckets)
#
# Prints wall seconds, server CPU seconds, rows per CPU-second and the server's peak RSS
# during each run (VmHWM, reset before each run through /proc/PID/clear_refs), plus what
# the run spilled (stage-0 sort levels and shuffle bytes from the task report).
# Environment: TASKS (maxNumTasks, default 3), GRANULARITY (default DAY; MONTH with BIG=1),
# WORKER_MEMORY (henge serve --worker-memory, default the server's 1GiB), CONTEXT (extra
# context JSON merged into each query's, e.g. '{"rowsInMemory":1000000}'), SCRATCH (SwiftPM
# scratch path, default .build), PEERS=0 to skip DuckDB.
# A benchmark, not a test: numbers depend on the machine and what else runs.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIG="${BIG:-0}"
if [ "$BIG" = 1 ]; then DEFAULT_FILE=/tmp/henge-bench/flights10m.json; DEFAULT_GRAN=MONTH; else DEFAULT_FILE=/tmp/henge-bench/flights.json; DEFAULT_GRAN=DAY; fi
FILE="${1:-$DEFAULT_FILE}"
TASKS="${TASKS:-3}"
GRANULARITY="${GRANULARITY:-$DEFAULT_GRAN}"
CONTEXT="${CONTEXT:-{\}}"
SCRATCH="${SCRATCH:-$ROOT/.build}"
PEERS="${PEERS:-1}"
[ -f "$FILE" ] || { echo "missing $FILE"; exit 2; }
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
ROWS=$(wc -l < "$FILE")

SIG='[{"name":"timestamp","type":"string"},{"name":"year","type":"long"},{"name":"month","type":"long"},{"name":"day","type":"long"},{"name":"dep_time","type":"long"},{"name":"sched_dep_time","type":"long"},{"name":"dep_delay","type":"long"},{"name":"arr_time","type":"long"},{"name":"sched_arr_time","type":"long"},{"name":"arr_delay","type":"long"},{"name":"carrier","type":"string"},{"name":"flight","type":"long"},{"name":"tailnum","type":"string"},{"name":"origin","type":"string"},{"name":"dest","type":"string"},{"name":"air_time","type":"long"},{"name":"distance","type":"long"},{"name":"hour","type":"long"},{"name":"minute","type":"long"},{"name":"time_hour","type":"string"}]'
EXTERN="TABLE(EXTERN('{\"type\":\"local\",\"files\":[\"$FILE\"]}', '{\"type\":\"json\"}', '$SIG'))"

cpu() { awk '{print $14 + $15}' /proc/$PID/stat; }
peak_kb() { awk '/VmHWM/ {print $2}' /proc/$PID/status; }
run() {  # name sql
  local before after t0 t1 id
  echo 5 > /proc/$PID/clear_refs 2>/dev/null || true   # reset the peak RSS (VmHWM) to the current RSS
  before=$(cpu); t0=$(date +%s.%N)
  id=$(python3 -c 'import json,sys; c = {"maxNumTasks": int(sys.argv[2])}; c.update(json.loads(sys.argv[3])); print(json.dumps({"query": sys.argv[1], "context": c}))' "$2" "$TASKS" "$CONTEXT" \
       | curl -s -X POST "localhost:$PORT/druid/v2/sql/task" -H 'Content-Type: application/json' -d @- | python3 -c 'import json,sys; print(json.load(sys.stdin)["taskId"])')
  while :; do
    s=$(curl -s "localhost:$PORT/druid/indexer/v1/task/$id/status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["status"])')
    [ "$s" != RUNNING ] && break; sleep 0.05
  done
  t1=$(date +%s.%N); after=$(cpu)
  curl -s "localhost:$PORT/druid/indexer/v1/task/$id/reports" > "$DIR/report.json"
  python3 - "$1" "$s" "$t0" "$t1" "$before" "$after" "$ROWS" "$(getconf CLK_TCK)" "$(du -sb "$DIR/var/deep" | cut -f1)" "$(peak_kb)" "$DIR/report.json" <<'PY'
import json, sys
name, status, t0, t1, b, a, rows, tck, size, peak, report = sys.argv[1:]
wall = float(t1) - float(t0); cpu = (int(a) - int(b)) / int(tck)
print(f"henge  {name:8s} {status:7s} wall {wall:6.2f}s  cpu {cpu:6.2f}s  {int(rows)/max(cpu,1e-9)/1000:7.0f}k rows/cpu-s  peak RSS {int(peak)/1024:7.0f} MB  deep storage {int(size)/1e6:6.1f} MB")
try:
    counters = json.load(open(report))["multiStageQuery"]["payload"]["counters"]["0"]
    for w, c in sorted(counters.items()):
        sp = c.get("sortProgress", {}); sh = c.get("shuffle", {})
        print(f"         stage 0 worker {w}: sort levels {sp.get('levelToTotalBatches')}  shuffle rows {sum(sh.get('rows', [0]))} bytes {sum(sh.get('bytes', [0]))/1e6:.1f} MB")
except Exception as e:
    print(f"         (no report counters: {e})")
PY
}
run plain "INSERT INTO flights SELECT TIME_PARSE(\"timestamp\") AS __time, * FROM $EXTERN PARTITIONED BY $GRANULARITY"
run rollup "INSERT INTO flights_hourly SELECT FLOOR(TIME_PARSE(\"timestamp\") TO HOUR) AS __time, carrier, origin, dest, COUNT(*) AS flights, SUM(distance) AS distance, MAX(dep_delay) AS max_dep_delay FROM $EXTERN GROUP BY 1, 2, 3, 4 PARTITIONED BY $GRANULARITY"
[ "$PEERS" = 1 ] || exit 0

python3 - "$FILE" "$ROWS" <<'PY'
import sys, time, resource
try:
    import duckdb
except ImportError:
    print("duckdb   (not installed: pip install duckdb)"); sys.exit(0)
path, rows = sys.argv[1], int(sys.argv[2])
for name, sql in [
    ("plain", f"CREATE TABLE f AS SELECT CAST(\"timestamp\" AS TIMESTAMP) AS __time, * FROM read_json('{path}', format='newline_delimited') ORDER BY __time"),
    ("rollup", f"CREATE TABLE r AS SELECT date_trunc('hour', CAST(\"timestamp\" AS TIMESTAMP)) AS __time, carrier, origin, dest, COUNT(*), SUM(distance), MAX(dep_delay) FROM read_json('{path}', format='newline_delimited') GROUP BY ALL"),
]:
    con = duckdb.connect()
    con.execute("SET threads = 2")
    r0 = resource.getrusage(resource.RUSAGE_SELF); t0 = time.time()
    con.execute(sql)
    t1 = time.time(); r1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    print(f"duckdb {name:8s} SUCCESS wall {t1-t0:6.2f}s  cpu {cpu:6.2f}s  {rows/cpu/1000:7.0f}k rows/cpu-s")
PY
