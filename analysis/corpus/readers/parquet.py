"""Parquet: each row is one record (``"record N"``)."""
from __future__ import annotations

from pathlib import Path

from ..errors import CorpusError
from ..records import RawRecord, ReadResult, raw_of


def read_parquet(path: Path, label: str) -> ReadResult:
    """Read every row of a Parquet file as a record, numbered from 1.

    A file that is missing or not valid Parquet raises :class:`CorpusError`.
    """
    import pyarrow as pa  # imported here: only this reader needs it
    import pyarrow.parquet as pq

    if not path.is_file():
        raise CorpusError(f"{label}: file not found" if not path.exists() else f"{label}: not a file")
    try:
        rows = pq.read_table(path).to_pylist()
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise CorpusError(f"{label}: not a readable Parquet file ({str(exc)[:200]})") from None
    result = ReadResult()
    for number, row in enumerate(rows, start=1):
        fields = {str(key): value for key, value in row.items()}
        result.records.append(RawRecord(label, f"record {number}", fields, raw_of(fields)))
    return result
