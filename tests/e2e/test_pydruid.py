"""pydruid 0.6.9 (DB-API and SQLAlchemy) against a real henge server."""

import re

import pytest
import requests
import sqlalchemy as sa
from pydruid.db import connect
from pydruid.db.api import Type
from pydruid.db.exceptions import ProgrammingError

QUERY = "SELECT __time, name, n, x FROM e2e ORDER BY __time"

EXPECTED_ROWS = [
    ("2024-01-01T10:00:00.000Z", "alpha", 1, 1.5),
    ("2024-01-02T11:30:00.250Z", "b,c", 2, None),
    ("2024-01-03T00:00:00.000Z", "it's", 3, -0.25),
]


def pydruid_connection(henge, **kwargs):
    return connect(host="127.0.0.1", port=henge.port, path="/druid/v2/sql/", scheme="http", **kwargs)


def test_insert_through_task_api(henge, ingested):
    submitted = ingested["submitted"]
    assert submitted.status_code == 202
    assert submitted.json() == {"taskId": "query-" + ingested["query_id"], "state": "RUNNING"}
    assert list(submitted.json()) == ["taskId", "state"]

    status = ingested["status"]
    assert status["id"] == ingested["task_id"]
    assert status["statusCode"] == "SUCCESS"
    assert status["runnerStatusCode"] == "NONE"
    assert status["dataSource"] == "e2e"
    assert status["errorMsg"] is None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", status["createdTime"])

    report = requests.get(f"{henge.base_url}/druid/indexer/v1/task/{ingested['task_id']}/reports", timeout=60)
    assert report.status_code == 200
    msq = report.json()["multiStageQuery"]
    assert msq["taskId"] == ingested["task_id"]
    assert msq["payload"]["status"]["status"] == "SUCCESS"
    assert [s["phase"] for s in msq["payload"]["stages"]] == ["FINISHED", "FINISHED"]
    assert msq["payload"]["counters"]["0"]["0"]["input0"]["rows"] == [len(EXPECTED_ROWS)]


def test_cursor_rows_and_description(henge, ingested):
    cursor = pydruid_connection(henge).cursor()
    cursor.execute(QUERY)
    assert [d[0] for d in cursor.description] == ["__time", "name", "n", "x"]
    # pydruid guesses types from the first row: strings (nullable) and numbers.
    assert [(d[1], d[6]) for d in cursor.description] == [
        (Type.STRING, True), (Type.STRING, True), (Type.NUMBER, False), (Type.NUMBER, False)]
    assert [tuple(r) for r in cursor.fetchall()] == EXPECTED_ROWS

    cursor.execute("SELECT COUNT(*) AS c, SUM(n) AS s FROM e2e")
    row = cursor.fetchone()
    assert (row.c, row.s) == (3, 6)
    assert cursor.fetchone() is None


def test_header_connection(henge, ingested):
    cursor = pydruid_connection(henge, header=True).cursor()
    cursor.execute(QUERY)
    # With header=True pydruid takes the header object itself as the description.
    assert cursor.description == [("__time", None), ("name", None), ("n", None), ("x", None)]
    assert [tuple(r) for r in cursor.fetchall()] == EXPECTED_ROWS


def test_empty_result(henge, ingested):
    cursor = pydruid_connection(henge).cursor()
    cursor.execute("SELECT name FROM e2e WHERE n > 100")
    assert cursor.fetchall() == []


def test_pyformat_parameters(henge, ingested):
    cursor = pydruid_connection(henge).cursor()
    # pydruid inlines the values client-side; the quote in "it's" is doubled.
    cursor.execute("SELECT name, n FROM e2e WHERE name = %(name)s AND n >= %(n)s", {"name": "it's", "n": 2})
    assert [tuple(r) for r in cursor.fetchall()] == [("it's", 3)]
    cursor.execute("SELECT name FROM e2e WHERE name IN (%(names)s) ORDER BY __time", {"names": ("alpha", "b,c")})
    assert [r.name for r in cursor.fetchall()] == ["alpha", "b,c"]


def test_errors_raise_programming_error(henge, ingested):
    cursor = pydruid_connection(henge).cursor()
    with pytest.raises(ProgrammingError) as unknown:
        cursor.execute("SELECT * FROM nope")
    assert str(unknown.value) == "druidException (INVALID_INPUT): Object 'nope' not found (line [1], column [15])"

    with pytest.raises(ProgrammingError) as insert:
        cursor.execute("INSERT INTO other SELECT * FROM e2e PARTITIONED BY DAY")
    assert "INSERT operations are not supported by requested SQL engine [native], consider using MSQ." in str(insert.value)

    with pytest.raises(ProgrammingError) as parse:
        cursor.execute("SELECT name,\nFROM e2e")
    assert "Incorrect syntax near the keyword 'FROM' at line 2, column 1." in str(parse.value)


def test_sqlalchemy_engine(henge, ingested):
    # Plain statements only: reflection (inspect(), has_table) needs INFORMATION_SCHEMA.
    engine = sa.create_engine(f"druid://127.0.0.1:{henge.port}/druid/v2/sql/")
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(QUERY)).fetchall()
            assert [tuple(r) for r in rows] == EXPECTED_ROWS
            bound = conn.execute(sa.text("SELECT name FROM e2e WHERE n > :n ORDER BY __time"), {"n": 1}).fetchall()
            assert [r.name for r in bound] == ["b,c", "it's"]
            result = conn.execute(sa.text("SELECT COUNT(*) AS c FROM e2e"))
            assert list(result.keys()) == ["c"]
            assert result.scalar() == 3
    finally:
        engine.dispose()
