"""Excel workbooks (``.xlsx``, ``.xlsm``): every sheet with a header row; each later row one record.

A record's position is the spreadsheet's own row number (``"row 5"``, or
``"sheet 'Tass' row 5"`` in a workbook of several sheets), so a rejected
record is found where the researcher looks for it. Cells keep their types
(dates stay dates, numbers numbers); formulas give their last computed
value. Old binary ``.xls`` files are not read (save them as ``.xlsx`` or
CSV).
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from ..decoding import read_bytes
from ..errors import CorpusError
from ..fields import has_value
from ..records import RawRecord, ReadResult, bad, printable, raw_of
from .csvfile import warn_duplicate_columns


#: What openpyxl raises on damaged or hostile workbooks (its errors vary; defusedxml's are ValueErrors).
_DAMAGED = (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, AttributeError, IndexError,
            EOFError)


def read_excel(path: Path, label: str) -> ReadResult:
    """Read every non-empty sheet of a workbook: its first non-blank row is the header.

    Blank rows are skipped; a row with values in columns that have no header
    name is rejected with the reason (its values would otherwise be lost).
    In a workbook of several sheets, a warning names the sheets read and the
    empty ones. A file that is not a readable workbook raises
    :class:`CorpusError` naming it.
    """
    import openpyxl  # imported here: only this reader needs it
    from openpyxl.utils.exceptions import InvalidFileException

    data = read_bytes(path, label)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, *_DAMAGED) as exc:
        raise CorpusError(f"{label}: not a readable Excel workbook ({str(exc)[:200]})") from None
    result = ReadResult()
    try:
        sheets = book.worksheets
        counts = {sheet.title: _read_sheet(sheet, label, result, len(sheets) > 1) for sheet in sheets}
    except _DAMAGED as exc:  # a sheet's XML that fails while streamed
        raise CorpusError(f"{label}: not a readable Excel workbook ({str(exc)[:200]})") from None
    finally:
        book.close()
    if len(counts) > 1:
        read = [f"{printable(t)!r} ({n} row{'s' if n != 1 else ''})" for t, n in counts.items() if n]
        empty = [repr(printable(t)) for t, n in counts.items() if not n]
        result.warnings.append(f"{label}: read {len(read)} of {len(counts)} sheets: {', '.join(read) or 'none'}"
                               + (f"; empty: {', '.join(empty)}" if empty else ""))
    return result


def _read_sheet(sheet, label: str, result: ReadResult, named: bool) -> int:
    """Append the sheet's records to ``result``; return how many rows it held."""
    prefix = f"sheet {printable(sheet.title)!r} " if named else ""
    header: list[str] | None = None
    count = 0
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if all(not has_value(v) for v in row):
            continue
        if header is None:
            header = [printable(str(v).strip()) if v is not None else "" for v in row]
            warn_duplicate_columns(header, f"{label} {prefix}".rstrip(), result)
            continue
        count += 1
        result.records.append(_record(label, f"{prefix}row {number}", list(row), header))
    return count


def _record(label: str, position: str, row: list[Any], header: list[str]) -> RawRecord:
    fields: dict[str, Any] = {}
    for index, value in enumerate(row):
        name = header[index] if index < len(header) else ""
        if name:
            fields.setdefault(name, value)
        elif has_value(value):
            column = _column_letter(index)
            return bad(label, position, raw_of({"values": row}),
                       f"a value in column {column}, which has no header name")
    return RawRecord(label, position, fields, raw_of(fields))


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
