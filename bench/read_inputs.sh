#!/usr/bin/env bash
# Input-reader benchmark (release build): files -> Batches with Inputs.ExternalReader
# (henge-input-bench), next to DuckDB's read_json/read_csv and chDB's JSONEachRow /
# CSVWithNames on the same files, in the same run.
#
#   bench/read_inputs.sh                 nycflights13 (336,776 rows): JSON, CSV, JSON.gz; 1 and 2 workers
#   BIG=1 bench/read_inputs.sh           also the 10M-row scale-up (3.4 GB JSON, made if missing)
#
# Environment: DATA (default /tmp/henge-bench), RUNS (default 3; best run reported),
# CASES (default "json csv gz"; BIG=1 adds "json10m gz10m"), WORKERS (default "1 2"),
# SCRATCH (SwiftPM scratch path, default .build), PEERS=0 to skip DuckDB and chDB,
# BASELINE_BIN=path/to/another/henge-input-bench to time an older build alongside
# ("henge-base"; e.g. one built from an earlier commit), ZLIB=1 to time gz inputs
# through zlib as well ("henge-zlib").
#
# What each engine does, N = workers = threads:
#   henge   parse every field into columnar Batches (20 columns, timestamps as STRING,
#           strings dictionary-encoded per batch), batches dropped. One file: N byte
#           ranges at line boundaries; gz with N > 1: the same file N times, one per worker.
#   duckdb  CREATE TABLE AS SELECT * FROM read_json(..., columns={...}) in memory,
#           SET threads=N (the same file list)
#   chdb    SELECT count() FROM file(..., 'JSONEachRow', struct) WHERE NOT ignore(*),
#           max_threads=N (peer_task.py's `parse` task)
# Peers read `timestamp` as VARCHAR too (TS=timestamp types it as a timestamp, as
# ../shared/bench/peer_task.py does). rows/CPU-s uses the process's user+sys CPU time
# (getrusage) for the statement alone; MB/s is uncompressed bytes per wall second.
# A benchmark, not a test: the numbers depend on the machine and on what else runs.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="${DATA:-/tmp/henge-bench}"
RUNS="${RUNS:-3}"
BIG="${BIG:-0}"
WORKERS="${WORKERS:-1 2}"
PEERS="${PEERS:-1}"
TS="${TS:-varchar}"
SCRATCH="${SCRATCH:-$ROOT/.build}"
if [ "$BIG" = 1 ]; then CASES="${CASES:-json csv gz json10m gz10m}"; else CASES="${CASES:-json csv gz}"; fi
VENV="$ROOT/.build-bench"
MAKE_DATA="$ROOT/../shared/bench/make_data.py"

venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
  fi
  for pkg in "$@"; do
    "$VENV/bin/python" -c "import $pkg" 2>/dev/null || "$VENV/bin/pip" install -q "$pkg"
  done
}

# Data: the small set by default, the 10M file only with BIG=1. Made in a scratch
# directory and moved in file by file, so that files other runs may be reading are
# never rewritten.
NEED="flights.json flights.csv flights.json.gz"
[ "$BIG" = 1 ] && NEED="$NEED flights10m.json flights10m.json.gz"
missing=0
for f in $NEED; do [ -f "$DATA/$f" ] || missing=1; done
if [ $missing = 1 ]; then
  venv nycflights13
  mkdir -p "$DATA"
  SCRATCH_DATA=$(mktemp -d "$DATA/.make_data.XXXXXX")
  if [ "$BIG" = 1 ]; then
    "$VENV/bin/python" "$MAKE_DATA" --data "$SCRATCH_DATA"
  else
    "$VENV/bin/python" "$MAKE_DATA" --data "$SCRATCH_DATA" --small-only
  fi
  for f in $NEED; do [ -f "$DATA/$f" ] || mv "$SCRATCH_DATA/$f" "$DATA/$f"; done
  rm -rf "$SCRATCH_DATA"
fi
[ "$PEERS" = 1 ] && venv duckdb chdb

echo "building henge-input-bench (release)..."
swift build -c release --product henge-input-bench --package-path "$ROOT" --scratch-path "$SCRATCH" 2>&1 | tail -1
BIN="$SCRATCH/release/henge-input-bench"
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT

files_for() {  # case workers -> format and file list
  local c=$1 n=$2 f
  case $c in
    json) echo "json $DATA/flights.json" ;;
    csv) echo "csv $DATA/flights.csv" ;;
    json10m) echo "json $DATA/flights10m.json" ;;
    gz|gz10m)
      f="$DATA/flights.json.gz"; [ "$c" = gz10m ] && f="$DATA/flights10m.json.gz"
      printf 'json'; for _ in $(seq "$n"); do printf ' %s' "$f"; done; echo ;;
  esac
}

# Runs a henge-input-bench, shows its output on stderr and keeps its RESULT line as
# "RESULT case workers label ...".
henge() {  # label args...
  local label=$1 out
  shift
  out=$("$@")
  echo "$out" >&2
  echo "$out" | sed -n "s/^RESULT henge /RESULT $c $n $label /p" >> "$OUT"
}

for c in $CASES; do
  for n in $WORKERS; do
    read -r fmt files <<< "$(files_for "$c" "$n")"
    # shellcheck disable=SC2086
    for f in $files; do [ -f "$f" ] || { echo "missing $f"; continue 2; }; done
    echo "== $c, $n worker(s): $files"
    # shellcheck disable=SC2086
    henge henge "$BIN" --format "$fmt" --workers "$n" --repeat "$RUNS" $files
    if [ -n "${BASELINE_BIN:-}" ]; then
      # shellcheck disable=SC2086
      henge henge-base "$BASELINE_BIN" --format "$fmt" --workers "$n" --repeat "$RUNS" $files
    fi
    if [ "${ZLIB:-0}" = 1 ] && [[ $c == gz* ]]; then
      # shellcheck disable=SC2086
      henge henge-zlib "$BIN" --format "$fmt" --workers "$n" --repeat "$RUNS" --inflater zlib $files
    fi
    if [ "$PEERS" = 1 ]; then
      # shellcheck disable=SC2086
      peers=$("$VENV/bin/python" - "$c" "$n" "$fmt" "$RUNS" "$TS" $files <<'PY'
import gc, os, resource, sys, time
case, threads, fmt, runs, ts, files = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6:]
ORDER = ["timestamp", "year", "month", "day", "dep_time", "sched_dep_time", "dep_delay", "arr_time",
         "sched_arr_time", "arr_delay", "carrier", "flight", "tailnum", "origin", "dest", "air_time",
         "distance", "hour", "minute", "time_hour"]
STR = {"carrier", "tailnum", "origin", "dest", "time_hour", "timestamp"}
NULLABLE = {"dep_time", "dep_delay", "arr_time", "arr_delay", "air_time", "tailnum"}
def plain_size(f):
    return os.path.getsize(f[:-3]) if f.endswith(".gz") and os.path.exists(f[:-3]) else os.path.getsize(f)
nbytes = sum(plain_size(f) for f in files)

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

def measure(name, fn):
    best_wall = best_cpu = None
    rows = 0
    for _ in range(runs):
        gc.collect()
        c0, t0 = cpu(), time.perf_counter()
        rows = fn()
        t1, c1 = time.perf_counter(), cpu()
        best_wall = min(best_wall or 1e9, t1 - t0)
        best_cpu = min(best_cpu or 1e9, c1 - c0)
    print(f"{name:7s} rows {rows}  wall {best_wall:.3f} s  cpu {best_cpu:.3f} s  {nbytes/best_wall/1e6:.1f} MB/s  "
          f"{rows/best_cpu/1000:.0f}k rows/cpu-s")
    print(f"RESULT {case} {threads} {name} rows={rows} bytes={nbytes} wall={best_wall:.3f} cpu={best_cpu:.3f}")

import duckdb
types = {c: ("VARCHAR" if c in STR else "BIGINT") for c in ORDER}
if ts == "timestamp":
    types["timestamp"] = "TIMESTAMP"
cols = "{" + ", ".join(f"'{c}': '{types[c]}'" for c in ORDER) + "}"
flist = "[" + ", ".join(f"'{f}'" for f in files) + "]"
if fmt == "json":
    src = f"read_json({flist}, format='newline_delimited', columns={cols})"
else:
    src = f"read_csv({flist}, header=true, columns={cols})"
def duck():
    con = duckdb.connect()
    con.execute(f"SET threads={threads}")
    con.execute(f"CREATE TABLE f AS SELECT * FROM {src}")
    n = con.execute("SELECT count(*) FROM f").fetchone()[0]
    con.close()
    return n
measure("duckdb", duck)

import chdb
struct = ", ".join(
    f"{c} " + ("DateTime64(3, 'UTC')" if c == "timestamp" and ts == "timestamp" else
               (f"Nullable({'String' if c in STR else 'Int64'})" if c in NULLABLE else ('String' if c in STR else 'Int64')))
    for c in ORDER).replace("'", "\\'")
chfmt = "JSONEachRow" if fmt == "json" else "CSVWithNames"
settings = f"max_threads={threads}, input_format_parallel_parsing=1, date_time_input_format='best_effort'"
def ch():
    total = 0
    for f in files:  # file() takes one path (globs aside); the same file twice is read twice
        total += int(chdb.query(f"SELECT count() FROM file('{f}', '{chfmt}', '{struct}') WHERE NOT ignore(*) "
                                f"SETTINGS {settings}", "CSV").bytes().decode().strip())
    return total
measure("chdb", ch)
PY
)
      echo "$peers" >&2
      echo "$peers" | grep '^RESULT' >> "$OUT"
    fi
  done
done

echo
echo "summary (best of $RUNS runs; for henge, the ratio to each peer: rows per CPU-second / MB/s)"
python3 - "$OUT" <<'PY'
import sys
res = {}
for line in open(sys.argv[1]):
    p = line.split()
    case, n, eng = p[1], p[2], p[3]
    kv = dict(x.split("=") for x in p[4:] if "=" in x)
    res[(case, n, eng)] = {k: float(v) for k, v in kv.items() if k in ("rows", "bytes", "wall", "cpu")}
peers = [e for e in ("duckdb", "chdb", "henge-base", "henge-zlib") if any(k[2] == e for k in res)]
print(f"{'case':8s} {'w':>2s} {'engine':10s} {'rows':>9s} {'wall s':>7s} {'cpu s':>7s} {'MB/s':>7s} {'k rows/cpu-s':>13s}"
      + "".join(f" {'vs ' + p:>14s}" for p in peers))
for (case, n, eng), r in res.items():
    mbs = r["bytes"] / r["wall"] / 1e6
    rcs = r["rows"] / r["cpu"] / 1e3
    ratios = ""
    if eng == "henge":
        for peer in peers:
            q = res.get((case, n, peer))
            ratios += f" {rcs / (q['rows'] / q['cpu'] / 1e3):6.2f}x/{mbs / (q['bytes'] / q['wall'] / 1e6):5.2f}x" if q else f" {'-':>14s}"
    print(f"{case:8s} {n:>2s} {eng:10s} {int(r['rows']):9d} {r['wall']:7.3f} {r['cpu']:7.3f} {mbs:7.1f} {rcs:13.0f}{ratios}")
PY
