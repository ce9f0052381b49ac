"""CSV with a header row; each later row is one record (``"row N"``)."""
from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..decoding import decode_text, read_bytes
from ..errors import CorpusError
from ..records import RawRecord, ReadResult, bad


#: Column separators recognised, in order of preference when the evidence ties.
DELIMITERS = ",;\t|"
#: Characters of the file's start examined to recognise the separator.
SNIFF_CHARS = 8192
_DELIMITER_NAMES = {",": "',' (comma)", ";": "';' (semicolon)", "\t": "tab", "|": "'|' (pipe)"}


def read_csv(path: Path, label: str) -> ReadResult:
    """Read a delimited file whose first non-blank row is the header.

    The separator is one of ``,`` ``;`` tab ``|``, recognised from the
    file's first 8 KB (see :func:`sniff_delimiter`); any other than a comma
    is reported in the warnings. Rows are numbered from 1 after the header.
    A row with the wrong number of fields, or malformed quoting, becomes an
    unparsed record; blank rows are skipped. Non-UTF-8 files fall back to
    cp1252 with a warning.
    """
    text, warnings = decode_text(read_bytes(path, label), label)
    result = ReadResult(warnings=warnings)
    delimiter = sniff_delimiter(text)
    if delimiter != ",":
        result.warnings.append(f"{label}: columns separated by {_DELIMITER_NAMES[delimiter]} (detected)")
    lines = list(io.StringIO(text, newline=""))
    with _big_fields():
        _read_rows(lines, label, result, delimiter)
    return result


def sniff_delimiter(text: str) -> str:
    """The column separator of delimited ``text``: ``,`` ``;`` tab or ``|``.

    :class:`csv.Sniffer` looks at the first :data:`SNIFF_CHARS` characters;
    its answer is kept when it splits the header row into two or more
    columns. Otherwise the separator that splits the header into the most
    columns wins (a comma on ties, and when nothing splits it).
    """
    sample = text.lstrip("\ufeff")[:SNIFF_CHARS]
    header = next((line for line in sample.split("\n") if line.strip()), "")
    widths = {d: _width(header, d) for d in DELIMITERS}
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    if sniffed in widths and widths[sniffed] > 1:
        return sniffed
    best = max(DELIMITERS, key=lambda d: widths[d])
    return best if widths[best] > 1 else ","


def _width(line: str, delimiter: str) -> int:
    try:
        return len(next(csv.reader([line], delimiter=delimiter)))
    except (csv.Error, StopIteration):
        return 0


def _read_rows(lines: list[str], label: str, result: ReadResult, delimiter: str = ",") -> None:
    reader = csv.reader(iter(lines), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    number, consumed = 0, 0
    while True:
        try:
            row, error = next(reader), None
        except StopIteration:
            return
        except csv.Error as exc:
            row, error = None, f"malformed CSV ({exc})"
        if error is not None and reader.line_num <= consumed:
            # The parser is stuck: keep the rest of the file as one rejected record.
            result.records.append(bad(label, f"row {number + 1}", "".join(lines[consumed:]), error))
            return
        raw = "".join(lines[consumed:reader.line_num]).rstrip("\n")
        consumed = reader.line_num
        if row is not None and len(row) <= 1 and not "".join(row).strip():
            continue  # blank line
        if header is None:
            header = _header(row, error, label, reader.line_num)
            warn_duplicate_columns(header, label, result)
            continue
        number += 1
        result.records.append(_record(label, number, raw, row, header, error))


def _header(row: list[str] | None, error: str | None, label: str, line: int) -> list[str]:
    if row is None:
        raise CorpusError(f"{label} line {line}: cannot read the header row ({error})")
    return [cell.strip() for cell in row]


def _record(label: str, number: int, raw: str, row: list[str] | None,
            header: list[str], error: str | None) -> RawRecord:
    position = f"row {number}"
    if error is not None or row is None:
        return bad(label, position, raw, error or "malformed CSV")
    if len(row) != len(header):
        return bad(label, position, raw, f"expected {len(header)} fields, got {len(row)}")
    fields: dict[str, str] = {}
    for name, cell in zip(header, row):
        if name:
            fields.setdefault(name, cell)
    return RawRecord(label, position, fields, raw)


def warn_duplicate_columns(header: list[str], label: str, result: ReadResult) -> None:
    """Warn (in ``result``) about each header name used twice: the first column of a name is read."""
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            result.warnings.append(f"{label}: column {name!r} appears twice; the first is used")
        seen.add(name)


@contextmanager
def _big_fields() -> Iterator[None]:
    """Allow fields as long as whole articles, restoring the global limit after."""
    previous = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        yield
    finally:
        csv.field_size_limit(previous)
