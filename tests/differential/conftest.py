"""Fixtures for the differential suite: one Henge server and one DuckDB database, both
holding the real nycflights13 flights (336,776 rows), loaded once per session.

Environment (tests/differential/run.sh sets these):
  HENGE_DIFF_DATA  flights.json written by ../shared/bench/make_data.py --small-only (required)
  HENGE_URL        base URL of a running henge server (run.sh starts one; one that already
                   holds the 336,776 flights is reused without a second INSERT), or else
  HENGE_BIN        a henge executable that this session starts on --port 0 itself
"""

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid

import duckdb
import pytest
import requests

LISTENING = re.compile(r"^henge listening on (http://127\.0\.0\.1:\d+) ")

# flights.json keys in file order, typed as in ../shared/bench/peer_task.py: longs are
# 64-bit, strings are strings; `timestamp` becomes __time.
COLUMNS = ["timestamp", "year", "month", "day", "dep_time", "sched_dep_time", "dep_delay", "arr_time",
           "sched_arr_time", "arr_delay", "carrier", "flight", "tailnum", "origin", "dest", "air_time",
           "distance", "hour", "minute", "time_hour"]
STRING_COLUMNS = {"timestamp", "carrier", "tailnum", "origin", "dest", "time_hour"}
ROWS = 336_776

# Every query runs with this context: COUNT(DISTINCT) is exact, as the suite compares exactly.
QUERY_CONTEXT = {"useApproximateCountDistinct": False}


def sql_quote(s):
    return "'" + s.replace("'", "''") + "'"


def henge_insert_sql(path):
    source = json.dumps({"type": "local", "files": [path]})
    fmt = json.dumps({"type": "json"})
    signature = json.dumps([{"name": c, "type": "string" if c in STRING_COLUMNS else "long"} for c in COLUMNS])
    cols = ", ".join(f'"{c}"' for c in COLUMNS[1:])
    return (f'INSERT INTO flights\nSELECT TIME_PARSE("timestamp") AS __time, {cols}\n'
            f"FROM TABLE(EXTERN({sql_quote(source)}, {sql_quote(fmt)}, {sql_quote(signature)}))\n"
            "PARTITIONED BY DAY")


def duckdb_load_sql(path):
    types = ", ".join(f"'{c}': '{'VARCHAR' if c in STRING_COLUMNS else 'BIGINT'}'" for c in COLUMNS)
    cols = ", ".join(f'"{c}"' for c in COLUMNS[1:])
    return (f'CREATE TABLE flights AS SELECT CAST("timestamp" AS TIMESTAMP) AS __time, {cols} '
            f"FROM read_json({sql_quote(path)}, format = 'newline_delimited', columns = {{{types}}})")


class Henge:
    """A henge server: either one run.sh started (HENGE_URL) or one started here (HENGE_BIN)."""

    def __init__(self):
        self.process = None
        self.work_dir = None
        url = os.environ.get("HENGE_URL")
        if url:
            self.base_url = url.rstrip("/")
            return
        binary = os.environ.get("HENGE_BIN")
        if not binary or not os.access(binary, os.X_OK):
            pytest.exit("set HENGE_URL to a running server or HENGE_BIN to a henge executable "
                        "(tests/differential/run.sh does this)", returncode=2)
        self.work_dir = tempfile.mkdtemp(prefix="henge-diff-")
        self.stdout_path = os.path.join(self.work_dir, "server.out")
        self.stderr_path = os.path.join(self.work_dir, "server.err")
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen(
                [binary, "serve", "--host", "127.0.0.1", "--port", "0",
                 "--data-dir", os.path.join(self.work_dir, "data"),
                 "--allow-local-dir", os.path.dirname(os.path.abspath(os.environ.get("HENGE_DIFF_DATA", ".")))],
                stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            with open(self.stdout_path, encoding="utf-8", errors="replace") as f:
                m = next((LISTENING.match(line) for line in f if LISTENING.match(line)), None)
            if m:
                self.base_url = m.group(1)
                return
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.exit(f"henge did not start listening: {self.stderr_tail()}", returncode=2)
            time.sleep(0.02)

    def stderr_tail(self):
        if not self.work_dir:
            return ""
        with open(self.stderr_path, encoding="utf-8", errors="replace") as f:
            return f.read()[-2000:]

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.work_dir:
            shutil.rmtree(self.work_dir, ignore_errors=True)

    def ingest(self, path, timeout=600):
        query_id = "diff-" + uuid.uuid4().hex[:8]
        r = requests.post(f"{self.base_url}/druid/v2/sql/task",
                          json={"query": henge_insert_sql(path), "context": {"sqlQueryId": query_id}}, timeout=120)
        assert r.status_code == 202, f"INSERT refused: HTTP {r.status_code} {r.text}"
        task_id = r.json()["taskId"]
        deadline = time.monotonic() + timeout
        while True:
            s = requests.get(f"{self.base_url}/druid/indexer/v1/task/{task_id}/status", timeout=60)
            s.raise_for_status()
            status = s.json()["status"]
            if status["status"] != "RUNNING":
                assert status["status"] == "SUCCESS", f"INSERT task failed: {status}"
                return status
            assert time.monotonic() < deadline, f"INSERT task still RUNNING after {timeout} s"
            time.sleep(0.2)

    def sql(self, query, context=None):
        """Runs a query; returns (sql types, rows) or raises HengeError with the server's message."""
        body = {"query": query, "resultFormat": "array", "header": True, "sqlTypesHeader": True,
                "context": {**QUERY_CONTEXT, **(context or {})}}
        try:
            r = requests.post(f"{self.base_url}/druid/v2/sql", json=body, timeout=300)
        except requests.ConnectionError as e:
            raise HengeError(f"connection failed (server down?): {e}") from None
        if r.status_code != 200:
            try:
                err = r.json()
                msg = f"{err.get('errorCode')}: {err.get('errorMessage')}"
            except ValueError:
                msg = r.text[:500]
            raise HengeError(f"HTTP {r.status_code} {msg}")
        rows = r.json()
        assert len(rows) >= 2, f"missing header rows: {rows!r}"
        return rows[1], rows[2:]


class HengeError(Exception):
    pass


def henge_rows(henge):
    """Rows already in `flights` (a reused HENGE_URL server), or None when there is no such datasource."""
    try:
        _, rows = henge.sql("SELECT COUNT(*) FROM flights")
    except HengeError as e:
        if "not found" in str(e):
            return None
        raise
    assert rows == [[ROWS]], f"the server already holds a `flights` datasource with {rows} rows, not {ROWS}"
    return ROWS


@pytest.fixture(scope="session")
def engines():
    """(henge, duckdb connection), both holding `flights`. The DuckDB load runs while Henge ingests."""
    path = os.environ.get("HENGE_DIFF_DATA")
    if not path or not os.path.isfile(path):
        pytest.exit(f"HENGE_DIFF_DATA={path!r} is not a file: generate it with "
                    "../shared/bench/make_data.py --small-only (run.sh does this)", returncode=2)
    path = os.path.abspath(path)
    henge = Henge()
    con = duckdb.connect(":memory:")
    con.execute("SET threads = 2")
    # Druid orders NULL as the smallest value: first ascending, last descending.
    con.execute("SET default_null_order = 'nulls_first_on_asc_last_on_desc'")
    loaded = {}

    def load_duckdb():
        try:
            con.execute(duckdb_load_sql(path))
            loaded["rows"] = con.execute("SELECT COUNT(*) FROM flights").fetchone()[0]
        except Exception as e:  # reported below, on the main thread
            loaded["error"] = e

    loader = threading.Thread(target=load_duckdb)
    loader.start()
    try:
        if henge_rows(henge) is None:
            henge.ingest(path)
        loader.join()
        if "error" in loaded:
            raise loaded["error"]
        assert loaded["rows"] == ROWS, f"DuckDB loaded {loaded['rows']} rows"
        _, rows = henge.sql("SELECT COUNT(*) FROM flights")
        assert rows == [[ROWS]], f"Henge holds {rows} rows"
        yield henge, con
    finally:
        loader.join()
        con.close()
        henge.stop()


def pytest_terminal_summary(terminalreporter):
    """If the server died during the run, say so (and why) before pytest's final summary line."""
    url = os.environ.get("HENGE_URL")
    if not url:
        return
    try:
        requests.get(f"{url.rstrip('/')}/status/health", timeout=5)
        return
    except requests.RequestException:
        pass
    terminalreporter.section("henge server died during the run")
    path = os.environ.get("HENGE_SERVER_STDERR")
    if path and os.path.isfile(path):
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
        keep = [l for l in lines if re.search(r"Fatal error|runtime failure|crashed:|^\s+1 .* at /", l)][:6]
        terminalreporter.write_line("\n".join(keep or lines[-10:]))
