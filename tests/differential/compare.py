"""Turns both engines' results into comparable cells and compares them.

A cell is (kind, value) with kind one of "null", "int", "float", "str", "bool", "ts":
- Henge: the kind comes from the column's SQL type (sqlTypesHeader); TIMESTAMP/DATE values
  are ISO strings in UTC (`2013-01-01T10:15:00.000Z`) and become epoch milliseconds.
- DuckDB: the kind comes from the Python value; DECIMAL is a float (Druid has no exact
  decimals), TIMESTAMP/DATE become epoch milliseconds (naive values are UTC).
Integers, strings, booleans and timestamps compare exactly; floats with relative
tolerance 1e-9 (plus 1e-12 absolute, for sums that cancel to zero).
"""

import datetime as dt
import decimal
import math

REL_TOL = 1e-9
ABS_TOL = 1e-12
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)

KIND_OF_SQL_TYPE = {
    "BIGINT": "int", "INTEGER": "int", "SMALLINT": "int", "TINYINT": "int",
    "DOUBLE": "float", "FLOAT": "float", "REAL": "float", "DECIMAL": "float",
    "VARCHAR": "str", "CHAR": "str",
    "BOOLEAN": "bool",
    "TIMESTAMP": "ts", "DATE": "ts",
}


class Mismatch(AssertionError):
    pass


def _millis(d):
    if d.tzinfo is None:
        d = d.replace(tzinfo=dt.timezone.utc)
    delta = d - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def parse_iso_millis(s):
    """`2013-01-01T10:15:00.000Z` (Druid's rendering in UTC) → epoch millis."""
    if not (isinstance(s, str) and s.endswith("Z")):
        raise ValueError(f"not a UTC ISO timestamp: {s!r}")
    return _millis(dt.datetime.fromisoformat(s[:-1] + "+00:00"))


def henge_cell(value, sql_type):
    if value is None:
        return ("null", None)
    kind = KIND_OF_SQL_TYPE.get(sql_type)
    if kind is None:
        raise Mismatch(f"Henge column of unexpected SQL type {sql_type!r} (value {value!r})")
    ok = {
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "str": lambda v: isinstance(v, str),
        "bool": lambda v: isinstance(v, bool),
        "ts": lambda v: isinstance(v, str),
    }[kind](value)
    if not ok:
        raise Mismatch(f"Henge value {value!r} does not fit its SQL type {sql_type}")
    if kind == "float":
        return ("float", float(value))
    if kind == "ts":
        return ("ts", parse_iso_millis(value))
    return (kind, value)


def duckdb_cell(value):
    if value is None:
        return ("null", None)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", value)
    if isinstance(value, (float, decimal.Decimal)):
        return ("float", float(value))
    if isinstance(value, str):
        return ("str", value)
    if isinstance(value, dt.datetime):
        return ("ts", _millis(value))
    if isinstance(value, dt.date):
        return ("ts", _millis(dt.datetime(value.year, value.month, value.day)))
    raise Mismatch(f"DuckDB value of unexpected Python type {type(value).__name__}: {value!r}")


def cells_equal(a, b):
    if a[0] != b[0]:
        return False
    if a[0] == "float":
        x, y = a[1], b[1]
        if math.isnan(x) or math.isnan(y):
            return math.isnan(x) and math.isnan(y)
        return math.isclose(x, y, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    return a[1] == b[1]


def _sort_key(row):
    """Total order over rows of cells; floats rounded so tolerance-equal values sort alike."""
    out = []
    for kind, v in row:
        if kind == "null":
            out.append((0, 0))
        elif kind == "float":
            out.append((1, float(f"{v:.9g}") if math.isfinite(v) else v))
        elif kind in ("int", "ts", "bool"):
            out.append((1, int(v)))
        else:
            out.append((2, v))
    return out


def render(row):
    def one(c):
        kind, v = c
        if kind == "ts":
            return "TS(" + (EPOCH + dt.timedelta(milliseconds=v)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z)"
        return repr(v)
    return "(" + ", ".join(one(c) for c in row) + ")"


def compare(henge_types, henge_rows, duck_columns, duck_rows, ordered):
    """Raises Mismatch describing the first difference."""
    h = [[henge_cell(v, henge_types[i] if i < len(henge_types) else None) for i, v in enumerate(r)] for r in henge_rows]
    d = [[duckdb_cell(v) for v in r] for r in duck_rows]
    if len(henge_types) != duck_columns:
        raise Mismatch(f"column count: Henge {len(henge_types)} {henge_types}, DuckDB {duck_columns}")
    if not ordered:
        h = sorted(h, key=_sort_key)
        d = sorted(d, key=_sort_key)
    if len(h) != len(d):
        sorted_note = "" if ordered else " (sorted)"
        raise Mismatch(f"row count: Henge {len(h)}, DuckDB {len(d)}\n"
                       f"  Henge first rows{sorted_note}:  {[render(r) for r in h[:5]]}\n"
                       f"  DuckDB first rows{sorted_note}: {[render(r) for r in d[:5]]}")
    for i, (hr, dr) in enumerate(zip(h, d)):
        if len(hr) != len(dr) or not all(cells_equal(a, b) for a, b in zip(hr, dr)):
            where = f"row {i}" if ordered else f"row {i} (after sorting both sides)"
            raise Mismatch(f"{where} of {len(h)}:\n  Henge:  {render(hr)}\n  DuckDB: {render(dr)}\n"
                           f"  (kinds Henge {[c[0] for c in hr]}, DuckDB {[c[0] for c in dr]})")
