"""Fixtures for the end-to-end client suite: a real `henge serve` process and one ingested datasource.

The binary comes from the HENGE_BIN environment variable (tests/e2e/run.sh sets it).
"""

import json
import os
import re
import signal
import subprocess
import time
import uuid

import pytest
import requests

LISTENING = re.compile(r"^henge listening on http://127\.0\.0\.1:(\d+) ")


class HengeServer:
    """A running `henge serve --port 0` on a temp data dir."""

    def __init__(self, binary, work_dir):
        self.work_dir = work_dir
        self.data_dir = os.path.join(work_dir, "data")
        self.stdout_path = os.path.join(work_dir, "server.out")
        self.stderr_path = os.path.join(work_dir, "server.err")
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen(
                [binary, "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", self.data_dir,
                 "--allow-local-dir", work_dir],
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
            )
        self.port = self._wait_for_port(timeout=60)
        self.base_url = f"http://127.0.0.1:{self.port}"

    def _wait_for_port(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.stdout_path, encoding="utf-8", errors="replace") as f:
                for line in f:
                    m = LISTENING.match(line)
                    if m:
                        return int(m.group(1))
            if self.process.poll() is not None:
                raise RuntimeError(f"henge exited with {self.process.returncode} before listening: {self.stderr()}")
            time.sleep(0.02)
        self.process.kill()
        self.process.wait()
        raise RuntimeError(f"henge did not print its listening line within {timeout} s")

    def stderr(self):
        with open(self.stderr_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    # -- task helpers (plain requests, as druidapi/Airflow do) --

    def submit(self, query, context=None):
        body = {"query": query}
        if context is not None:
            body["context"] = context
        return requests.post(f"{self.base_url}/druid/v2/sql/task", json=body, timeout=60)

    def wait_for_task(self, task_id, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            r = requests.get(f"{self.base_url}/druid/indexer/v1/task/{task_id}/status", timeout=60)
            r.raise_for_status()
            status = r.json()["status"]
            if status["status"] != "RUNNING":
                return status
            if time.monotonic() > deadline:
                raise TimeoutError(f"task {task_id} still RUNNING after {timeout} s")
            time.sleep(0.1)


@pytest.fixture(scope="session")
def henge(tmp_path_factory):
    binary = os.environ.get("HENGE_BIN")
    if not binary:
        pytest.fail("HENGE_BIN is not set: point it at the henge executable (tests/e2e/run.sh does this)")
    if not os.access(binary, os.X_OK):
        pytest.fail(f"HENGE_BIN={binary} is not an executable file")
    server = HengeServer(binary, str(tmp_path_factory.mktemp("henge")))
    try:
        yield server
    finally:
        code = server.stop()
        assert code == 0, f"henge exited with {code} on SIGTERM: {server.stderr()}"


# Rows of the `e2e` datasource, in __time order: a quote, a comma and a null double on purpose.
ROWS = [
    {"ts": "2024-01-01T10:00:00Z", "name": "alpha", "n": 1, "x": 1.5},
    {"ts": "2024-01-02T11:30:00.250Z", "name": "b,c", "n": 2, "x": None},
    {"ts": "2024-01-03T00:00:00Z", "name": "it's", "n": 3, "x": -0.25},
]

COLUMNS = [{"name": "ts", "type": "string"}, {"name": "name", "type": "string"},
           {"name": "n", "type": "long"}, {"name": "x", "type": "double"}]


def sql_quote(s):
    return "'" + s.replace("'", "''") + "'"


def insert_sql(datasource, path):
    source = json.dumps({"type": "local", "files": [path]})
    return (
        f'INSERT INTO "{datasource}"\n'
        'SELECT TIME_PARSE("ts") AS __time, name, n, x\n'
        f"FROM TABLE(EXTERN({sql_quote(source)}, '{{\"type\":\"json\"}}', {sql_quote(json.dumps(COLUMNS))}))\n"
        "PARTITIONED BY DAY"
    )


@pytest.fixture(scope="session")
def ingested(henge):
    """Ingests ROWS into `e2e` through /druid/v2/sql/task; returns what the task API answered."""
    path = os.path.join(henge.work_dir, "e2e.json")
    with open(path, "w", encoding="utf-8") as f:
        for row in ROWS:
            f.write(json.dumps(row) + "\n")
    query_id = "e2e-" + uuid.uuid4().hex[:8]
    submitted = henge.submit(insert_sql("e2e", path), context={"sqlQueryId": query_id})
    assert submitted.status_code == 202, submitted.text
    task_id = submitted.json()["taskId"]
    status = henge.wait_for_task(task_id)
    assert status["status"] == "SUCCESS", status
    return {"query_id": query_id, "task_id": task_id, "submitted": submitted, "status": status, "datasource": "e2e"}
