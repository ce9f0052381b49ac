"""Parquet: each row is one record (``"record N"``)."""
from __future__ import annotations

from pathlib import Path

from ..compression import compression_of
from ..decoding import read_bytes
from ..errors import CorpusError
from ..records import RawRecord, ReadResult, raw_of

#: Rows decoded at a time (bounds memory on very large files).
BATCH_ROWS = 10_000


def read_parquet(path: Path, label: str) -> ReadResult:
    """Read every row of a Parquet file as a record, numbered from 1.

    Rows are decoded batch by batch. A column name used twice keeps its
    first column (with a warning), as the CSV reader does. A file that is
    missing or not valid Parquet raises :class:`CorpusError` naming the
    file, and the record where decoding stopped if it got that far.
    """
    import pyarrow as pa  # imported here: only this reader needs it
    import pyarrow.parquet as pq

    if not path.is_file():
        raise CorpusError(f"{label}: file not found" if not path.exists() else f"{label}: not a file")
    source = pa.BufferReader(read_bytes(path, label)) if compression_of(path) else path
    result = ReadResult()
    number = 0
    try:
        with pq.ParquetFile(source) as parquet:
            names = [str(name) for name in parquet.schema_arrow.names]
            keep = _first_of_each_name(names, label, result)
            for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
                columns = [batch.column(i).to_pylist() for i in keep]
                for values in zip(*columns) if columns else [()] * batch.num_rows:
                    number += 1
                    fields = {names[i]: value for i, value in zip(keep, values)}
                    result.records.append(RawRecord(label, f"record {number}", fields, raw_of(fields)))
    except (pa.ArrowException, OSError, ValueError, TypeError, OverflowError, KeyError, IndexError) as exc:
        where = f" after record {number}" if number else ""
        raise CorpusError(f"{label}: not a readable Parquet file{where} ({str(exc)[:200]})") from None
    return result


def _first_of_each_name(names: list[str], label: str, result: ReadResult) -> list[int]:
    keep, seen = [], set()
    for index, name in enumerate(names):
        if name in seen:
            result.warnings.append(f"{label}: column {name!r} appears twice; the first is used")
            continue
        seen.add(name)
        keep.append(index)
    return keep
