#!/usr/bin/env python3
"""Segment format measurement (release build): bytes per column and query times.

    python3 bench/segment_format.py [--bin PATH] [--file FILE] [--granularity DAY]

Ingests FILE (default /tmp/henge-bench/flights.json, nycflights13 JSON lines)
with the same INSERT as bench/ingest_flights.sh, then reads every segment
file's footer and prints, per column, the bytes of its blocks and of its
bitmap index and the block encodings used, the total deep-storage size, and
the median wall time of a few queries (whole-column decodes, and filters the
bitmap indexes can answer). --bin runs another build (e.g. an older henge) on
the same data, for before/after comparisons. A benchmark, not a test: times
depend on the machine and on what else runs.
"""
import argparse, collections, json, os, shutil, statistics, struct, subprocess, sys, tempfile, time, urllib.request

SIG = [("timestamp", "string"), ("year", "long"), ("month", "long"), ("day", "long"), ("dep_time", "long"),
       ("sched_dep_time", "long"), ("dep_delay", "long"), ("arr_time", "long"), ("sched_arr_time", "long"),
       ("arr_delay", "long"), ("carrier", "string"), ("flight", "long"), ("tailnum", "string"), ("origin", "string"),
       ("dest", "string"), ("air_time", "long"), ("distance", "long"), ("hour", "long"), ("minute", "long"),
       ("time_hour", "string")]
QUERIES = [
    ("sum 3 longs", "SELECT SUM(dep_delay), SUM(distance), SUM(air_time) FROM flights"),
    ("group by carrier", "SELECT carrier, COUNT(*) FROM flights GROUP BY carrier"),
    ("carrier = 'UA'", "SELECT COUNT(*), SUM(distance) FROM flights WHERE carrier = 'UA'"),
    ("tailnum = 'N14228'", "SELECT COUNT(*), SUM(distance) FROM flights WHERE tailnum = 'N14228'"),
    ("origin IN + NOT", "SELECT COUNT(*) FROM flights WHERE origin IN ('JFK', 'LGA') AND NOT (dest = 'LAX')"),
    ("dest = 'nowhere'", "SELECT COUNT(*) FROM flights WHERE dest = 'nowhere'"),
]


def post(port, path, body):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", json.dumps(body).encode(),
                                 {"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def get(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as r:
        return json.load(r)


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def footer(path):
    with open(path, "rb") as f:
        data = f.read()
    offset, length, _crc = struct.unpack("<QII", data[-24:-8])
    return json.loads(data[offset:offset + length]), len(data)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(root, ".build", "release", "henge"))
    ap.add_argument("--file", default="/tmp/henge-bench/flights.json")
    ap.add_argument("--granularity", default="DAY")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    work = tempfile.mkdtemp()
    log = open(os.path.join(work, "log"), "w+")
    server = subprocess.Popen([args.bin, "serve", "--port", "0", "--data-dir", os.path.join(work, "var"),
                               "--allow-local-dir", os.path.dirname(args.file)], stdout=log, stderr=subprocess.STDOUT)
    try:
        port = None
        for _ in range(100):
            log.seek(0)
            for line in log:
                if "listening on http://127.0.0.1:" in line:
                    port = int(line.split("127.0.0.1:")[1].split()[0])
            if port:
                break
            time.sleep(0.1)
        sig = json.dumps([{"name": n, "type": t} for n, t in SIG])
        source = json.dumps({"type": "local", "files": [args.file]})
        sql = (f"INSERT INTO flights SELECT TIME_PARSE(\"timestamp\") AS __time, * FROM TABLE(EXTERN('{source}', "
               f"'{{\"type\":\"json\"}}', '{sig}')) PARTITIONED BY {args.granularity}")
        t0, c0 = time.time(), cpu_seconds(server.pid)
        task = post(port, "/druid/v2/sql/task", {"query": sql, "context": {"maxNumTasks": 3}})["taskId"]
        while get(port, f"/druid/indexer/v1/task/{task}/status")["status"]["status"] == "RUNNING":
            time.sleep(0.05)
        cpu = cpu_seconds(server.pid) - c0
        rows = sum(1 for _ in open(args.file, "rb"))
        print(f"ingest: {get(port, f'/druid/indexer/v1/task/{task}/status')['status']['status']} in "
              f"{time.time() - t0:.2f}s wall, {cpu:.2f} server CPU-s, {rows / cpu / 1000:.0f}k rows/CPU-s")

        blocks, indexes, encodings = collections.Counter(), collections.Counter(), collections.defaultdict(collections.Counter)
        total = files = 0
        for dirpath, _, names in os.walk(os.path.join(work, "var", "deep")):
            for name in names:
                if not name.endswith(".hseg"):
                    continue
                meta, size = footer(os.path.join(dirpath, name))
                total += size
                files += 1
                for c in meta["columns"]:
                    blocks[c["name"]] += c["length"] + 4
                    if "bitmapIndex" in c:
                        indexes[c["name"]] += c["bitmapIndex"]["length"]
                    encodings[c["name"]].update(c.get("blockEncodings") or {c["codec"]: 1})
        print(f"deep storage: {total / 1e6:.2f} MB in {files} segment files "
              f"(blocks {sum(blocks.values()) / 1e6:.2f} MB, bitmap indexes {sum(indexes.values()) / 1e6:.2f} MB, "
              f"headers/footers {(total - sum(blocks.values()) - sum(indexes.values())) / 1e6:.2f} MB)")
        for name in blocks:
            enc = ", ".join(f"{k} {v}" for k, v in encodings[name].most_common(3))
            print(f"  {name:15s} block {blocks[name] / 1e3:9.1f} kB  index {indexes[name] / 1e3:8.1f} kB  {enc}")
        for label, q in QUERIES:
            times, result = [], None
            for _ in range(args.runs):
                t = time.time()
                result = post(port, "/druid/v2/sql", {"query": q})
                times.append(time.time() - t)
            print(f"query {label:20s} median {statistics.median(times) * 1000:7.1f} ms  -> {json.dumps(result)[:80]}")
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
