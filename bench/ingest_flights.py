#!/usr/bin/env python3
"""Ingest benchmark driver (run by bench/ingest_flights.sh, which builds the
release binary): nycflights13 JSON lines into a running Henge, plain and
rolled up, for each maxNumTasks, next to DuckDB and chDB doing the same
ingest in the same run (../shared/bench/peer_task.py, each a fresh process
under /usr/bin/time -v, threads = Henge's worker count).

Cases (the same SQL work for every engine):
  plain       every column, __time parsed, sorted by time into native storage
  rollup      GROUP BY hour, carrier, origin, dest: COUNT(*), SUM(distance),
              SUM(dep_delay), MAX(arr_delay)  (barely reduces: ~98% of rows stay)
  rollup_day  GROUP BY day, carrier, origin, same aggregates (~25x fewer rows)
  cancel      a plain ingest shut down after CANCEL_AFTER seconds: time from
              POST /shutdown to the task reading FAILED (Canceled)

Prints per run: wall seconds, CPU seconds (server process for Henge, user+sys
for peers), rows per CPU-second, peak RSS (Henge: VmHWM reset before each run),
bytes of the stored result, and Henge's rows/CPU-s as a ratio of DuckDB's.
A benchmark, not a test: numbers depend on the machine and what else runs.
"""
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

BIN, DATA_DIR, FILE, PORT, PID = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
TASKS = [int(t) for t in os.environ.get("TASKS", "2 3").split()]
GRANULARITY = os.environ.get("GRANULARITY", "DAY")
CASES = os.environ.get("CASES", "plain rollup rollup_day cancel").split()
PEERS = os.environ.get("PEERS", "duckdb chdb").split()
EXTRA = json.loads(os.environ.get("CONTEXT", "{}"))
CANCEL_AFTER = float(os.environ.get("CANCEL_AFTER", "3"))
PEER_TASK = os.environ.get("PEER_TASK", os.path.join(os.path.dirname(__file__), "../../shared/bench/peer_task.py"))
TCK = os.sysconf("SC_CLK_TCK")

SIG = [("timestamp", "string"), ("year", "long"), ("month", "long"), ("day", "long"), ("dep_time", "long"),
       ("sched_dep_time", "long"), ("dep_delay", "long"), ("arr_time", "long"), ("sched_arr_time", "long"),
       ("arr_delay", "long"), ("carrier", "string"), ("flight", "long"), ("tailnum", "string"), ("origin", "string"),
       ("dest", "string"), ("air_time", "long"), ("distance", "long"), ("hour", "long"), ("minute", "long"),
       ("time_hour", "string")]
EXTERN = ("TABLE(EXTERN('" + json.dumps({"type": "local", "files": [FILE]}) + "', '{\"type\":\"json\"}', '"
          + json.dumps([{"name": n, "type": t} for n, t in SIG]) + "'))")
AGGS = "COUNT(*) AS cnt, SUM(distance) AS sum_distance, SUM(dep_delay) AS sum_dep_delay, MAX(arr_delay) AS max_arr_delay"
SQL = {
    "plain": f'INSERT INTO {{ds}} SELECT TIME_PARSE("timestamp") AS __time, * FROM {EXTERN} PARTITIONED BY {GRANULARITY}',
    "rollup": f'INSERT INTO {{ds}} SELECT FLOOR(TIME_PARSE("timestamp") TO HOUR) AS __time, carrier, origin, dest, {AGGS} '
              f'FROM {EXTERN} GROUP BY 1, 2, 3, 4 PARTITIONED BY {GRANULARITY}',
    "rollup_day": f'INSERT INTO {{ds}} SELECT FLOOR(TIME_PARSE("timestamp") TO DAY) AS __time, carrier, origin, {AGGS} '
                  f'FROM {EXTERN} GROUP BY 1, 2, 3 PARTITIONED BY {GRANULARITY}',
}
SQL["cancel"] = SQL["plain"]
PEER_TASKS = {"plain": "ingest", "rollup": "rollup", "rollup_day": "rollup_day"}


def rows_in(path):
    n = 0
    with open(path, "rb") as fh:
        for b in iter(lambda: fh.read(1 << 24), b""):
            n += b.count(b"\n")
    return n


def http(method, path, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")


def cpu_s():
    with open(f"/proc/{PID}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TCK


def peak_mb():
    with open(f"/proc/{PID}/status") as f:
        return int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1)) / 1024


def reset_peak():
    try:
        with open(f"/proc/{PID}/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def dir_bytes(p):
    return sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(p) for f in fs)


def status(task):
    return http("GET", f"/druid/indexer/v1/task/{task}/status")["status"]["status"]


def henge(case, tasks, rows):
    ds = f"flights_{case}_t{tasks}"
    ctx = {"maxNumTasks": tasks, **EXTRA}
    reset_peak()
    c0, t0 = cpu_s(), time.time()
    task = http("POST", "/druid/v2/sql/task", {"query": SQL[case].replace("{ds}", ds), "context": ctx})["taskId"]
    if case == "cancel":
        time.sleep(CANCEL_AFTER)
        s0 = time.time()
        http("POST", f"/druid/indexer/v1/task/{task}/shutdown")
        while status(task) == "RUNNING":
            time.sleep(0.005)
        took = time.time() - s0
        left = os.path.exists(os.path.join(DATA_DIR, "tasks", task))
        print(f"henge  cancel     t{tasks} {status(task):7s} shutdown -> FAILED in {took * 1000:6.0f} ms; task temp dir left: {left}; "
              f"segments visible: {os.path.exists(os.path.join(DATA_DIR, 'deep', ds))}")
        return None
    while (s := status(task)) == "RUNNING":
        time.sleep(0.05)
    wall, cpu = time.time() - t0, cpu_s() - c0
    size = dir_bytes(os.path.join(DATA_DIR, "deep", ds))
    r = {"engine": "henge", "case": case, "threads": tasks - 1, "status": s, "wall": wall, "cpu": cpu,
         "rate": rows / max(cpu, 1e-9), "rss": peak_mb(), "bytes": size}
    report = http("GET", f"/druid/indexer/v1/task/{task}/reports")
    try:
        counters = report["multiStageQuery"]["payload"]["counters"]["0"]
        r["spill"] = "; ".join(
            f"w{w} sort levels {c.get('sortProgress', {}).get('levelToTotalBatches')}" for w, c in sorted(counters.items()))
    except (KeyError, TypeError):
        r["spill"] = ""
    return r


def peer(engine, case, threads, rows):
    out = os.path.join(DATA_DIR, "peers", f"{engine}_{case}_t{threads}")
    cmd = ["/usr/bin/time", "-v", sys.executable, PEER_TASK, engine, PEER_TASKS[case], str(threads), FILE, out]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        return {"engine": engine, "case": case, "threads": threads, "status": "FAILED", "error": (p.stdout + p.stderr)[-300:]}
    rec = json.loads(p.stdout.strip().splitlines()[-1])
    grab = lambda label: re.search(re.escape(label) + r":\s*(.+)", p.stderr).group(1).strip()
    cpu = float(grab("User time (seconds)")) + float(grab("System time (seconds)"))
    return {"engine": engine, "case": case, "threads": threads, "status": "SUCCESS", "wall": rec["stmt_s"], "cpu": cpu,
            "rate": rows / max(cpu, 1e-9), "rss": int(grab("Maximum resident set size (kbytes)")) / 1024,
            "bytes": rec.get("out_bytes", 0)}


def show(r, duck):
    if r.get("status") != "SUCCESS":
        print(f"{r['engine']:6s} {r['case']:10s} t{r['threads']} {r.get('status')} {r.get('error', '')}")
        return
    ratio = f"  x{r['rate'] / duck['rate']:.2f} of duckdb" if duck and r["engine"] == "henge" else ""
    print(f"{r['engine']:6s} {r['case']:10s} {r['threads']} thr  wall {r['wall']:7.2f}s  cpu {r['cpu']:7.2f}s  "
          f"{r['rate'] / 1000:6.0f}k rows/cpu-s  peak RSS {r['rss']:6.0f} MB  stored {r['bytes'] / 1e6:7.1f} MB{ratio}")
    if r.get("spill"):
        print(f"{'':18s}{r['spill']}")


def main():
    rows = rows_in(FILE)
    print(f"input {FILE}: {rows} rows, {os.path.getsize(FILE) / 1e6:.0f} MB; Henge PARTITIONED BY {GRANULARITY}; "
          f"machine {os.cpu_count()} cores")
    for tasks in TASKS:
        threads = tasks - 1
        for case in CASES:
            if case == "cancel":
                henge(case, tasks, rows)
                continue
            peers = [peer(e, case, threads, rows) for e in PEERS]
            duck = next((p for p in peers if p["engine"] == "duckdb" and p["status"] == "SUCCESS"), None)
            show(henge(case, tasks, rows), duck)
            for p in peers:
                show(p, None)


main()
