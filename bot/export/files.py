"""An export's two tables as files: CSV (stdlib `csv`) or Parquet (`pyarrow`), in a folder or
in one zip (what the dashboard downloads).

pyarrow is imported only here, when a Parquet file is written: it takes about 60 ms to import
and nothing else in the service needs it. Parquet files are written without compression: an
export is small (a row per check-in), and an uncompressed file can be checked with `grep` by
whoever must make sure no name or number is in it (its strings sit in it as written).
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from bot.export.tables import Column, ExportTables, Table
from bot.slugs import program_slug

Format = Literal["csv", "parquet"]
FORMATS: tuple[Format, ...] = ("csv", "parquet")
# A CSV cell starting with one of these is read as a formula by spreadsheets (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def download_name(export: ExportTables, fmt: Format) -> str:
    return (f"export-{program_slug(export.program)}-{export.first_day.isoformat()}-"
            f"{export.last_day.isoformat()}-{fmt}.zip")


def file_name(table: Table, fmt: Format) -> str:
    return f"{table.name}.{fmt}"


def _csv_cell(column: Column, value: Any) -> str:
    if value is None:
        return ""
    if column.kind == "string":
        text = str(value)
        return "'" + text if text.startswith(_FORMULA_START) else text
    if column.kind in ("date", "hour"):
        assert isinstance(value, date | datetime)
        return value.isoformat()
    if column.kind == "bool":
        return "true" if value else "false"
    if column.kind == "strings":
        return ";".join(value)
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def csv_bytes(table: Table) -> bytes:
    """A header row, then one row per record; UTF-8, CRLF line ends (RFC 4180)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(c, v) for c, v in zip(table.columns, row, strict=True)])
    return out.getvalue().encode("utf-8")


def parquet_bytes(table: Table, timezone: str) -> bytes:
    """One Parquet file with a typed column each: dates, hours as timestamps in the program's
    time zone, numbers as float64, yes/no as booleans, reasons as a list of strings."""
    # Imported here: only a Parquet export needs pyarrow (see the module docstring).
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {
        "string": pa.string(), "date": pa.date32(), "hour": pa.timestamp("ms", tz=timezone),
        "number": pa.float64(), "bool": pa.bool_(), "strings": pa.list_(pa.string()),
    }
    schema = pa.schema([pa.field(c.name, types[c.kind]) for c in table.columns])
    columns = [[row[i] for row in table.rows] for i in range(len(table.columns))]
    arrow = pa.Table.from_arrays(
        [pa.array(values, type=field.type) for values, field in zip(columns, schema,
                                                                      strict=True)],
        schema=schema)
    sink = pa.BufferOutputStream()
    pq.write_table(arrow, sink, compression="none")
    return bytes(sink.getvalue().to_pybytes())


def table_bytes(export: ExportTables, table: Table, fmt: Format) -> bytes:
    return csv_bytes(table) if fmt == "csv" else parquet_bytes(table, export.timezone)


def zip_bytes(export: ExportTables, fmt: Format) -> bytes:
    """Both tables in one zip (checkins.FMT and escalations.FMT)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in export.tables:
            archive.writestr(file_name(table, fmt), table_bytes(export, table, fmt))
    return out.getvalue()


def write(export: ExportTables, fmt: Format, out: Path) -> list[Path]:
    """``out`` ending in .zip: one zip with both files; else a folder (made if missing) with
    checkins.FMT and escalations.FMT. Files already there are replaced. Each file is readable
    by its owner only: it is still data about people in a program."""
    if out.suffix.lower() == ".zip":
        out.parent.mkdir(parents=True, exist_ok=True)
        _write_private(out, zip_bytes(export, fmt))
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table in export.tables:
        path = out / file_name(table, fmt)
        _write_private(path, table_bytes(export, table, fmt))
        written.append(path)
    return written


def _write_private(path: Path, data: bytes) -> None:
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_bytes(data)
