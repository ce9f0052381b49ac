"""A folder: every supported file under it, read by its format; every other file named."""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from ..errors import CorpusError
from ..readprogress import report
from ..records import ReadResult, printable
from .csvfile import read_csv
from .detect import SUPPORTED_SUFFIXES, ending_format, file_format, unsupported_reason
from .digest import read_digest
from .excel import read_excel
from .htmlpage import read_html
from .jsonfile import read_json
from .jsonl import read_jsonl
from .pagepool import PagePool
from .parquet import read_parquet
from .rtf import read_rtf
from .textfiles import read_text
from .worddoc import read_docx
from .ziparchive import read_zip

#: Skipped files named one by one in the folder's warning; the rest are counted by ending.
SHOWN_SKIPPED = 20

_READERS = {"digest": read_digest, "jsonl": read_jsonl, "json": read_json, "csv": read_csv,
            "parquet": read_parquet, "excel": read_excel, "zip": read_zip, "html": read_html,
            "docx": read_docx, "rtf": read_rtf}


def read_folder(path: Path, label: str, skipped: list[tuple[str, str]] | None = None) -> ReadResult:
    """Read every supported file under ``path`` (recursively, sorted by relative path).

    A file's format comes from its ending (:func:`~.detect.file_format`):
    digest, JSONL, JSON, CSV, Excel, Parquet, text/Markdown, web pages, Word, RTF, zip
    archives, each possibly compressed. Text files are located in the
    folder's name with their relative path as position (``"sub/a.txt"``, or
    ``"sub/a.txt line 9"`` for the later articles of a split ``.txt``); the
    records of other files are located in ``<folder>/<relative path>``.
    Hidden files and folders (name starting with ``.``) are not read, nor the
    asset folder a browser saves beside a page (``story_files/`` next to
    ``story.html``; its files are counted in a warning). Every other file, and
    every file that cannot be read at all (e.g. corrupt Parquet), is named in
    a warning with the reason it was skipped, after any ``skipped`` already
    (``(relative path, reason)`` pairs, e.g. from an archive's reader).
    """
    if not path.is_dir():
        raise CorpusError(f"{label}: folder not found" if not path.exists() else f"{label}: not a folder")
    files = sorted(
        (p for p in path.rglob("*") if p.is_file()
         and not any(part.startswith(".") for part in p.relative_to(path).parts)),
        key=lambda p: p.relative_to(path).as_posix(),
    )
    result = ReadResult()
    files, assets = _without_page_assets(files)
    if assets:
        folders = ", ".join(f"{printable(name)}/ ({n})" for name, n in assets.items())
        result.warnings.append(f"{label}: left out {sum(assets.values())} file(s) in the asset folders "
                               f"of saved pages: {folders}")
    skipped = list(skipped or [])  # (relative path, why)
    relatives = [printable(file.relative_to(path).as_posix()) for file in files]
    is_page = [ending_format(f) == "html" for f in files]  # saved web pages, also compressed
    pages = [(f, printable(os.path.join(label, r))) for f, r, page in zip(files, relatives, is_page) if page]
    with PagePool(pages, label, result.warnings) as pool:
        for done, (file, relative, is_page_file) in enumerate(zip(files, relatives, is_page), start=1):
            try:
                page = pool.next() if is_page_file else None
                if isinstance(page, CorpusError):
                    raise page
                result.extend(_read_file(file, label, relative, skipped, page))
            except CorpusError as exc:
                skipped.append((relative, str(exc)))
            report(done, len(files))
    if skipped:
        result.warnings.append(skipped_note(label, sorted(skipped)))
    if not result.records:
        result.warnings.append(f"{label}: no records found in any {'/'.join(SUPPORTED_SUFFIXES)} file")
    return result


def _read_file(file: Path, label: str, relative: str, skipped: list[tuple[str, str]],
               page: ReadResult | None = None) -> ReadResult:
    """The records of one file (``page``: a web page's records, read already by a worker)."""
    where = f"{label} {relative}"
    fmt = file_format(file, where)
    if fmt is None:
        skipped.append((relative, unsupported_reason(file) or "unsupported ending"))
        return ReadResult()
    if fmt == "text":
        return read_text(file, label, relative, where)
    inner = printable(os.path.join(label, relative))
    result = page if page is not None else _READERS[fmt](file, inner)
    if not result.records:
        result.warnings.append(f"{inner}: no records found (empty file, or a header only)")
    return result


def _without_page_assets(files: list[Path]) -> tuple[list[Path], dict[str, int]]:
    """``files`` without those under a ``<stem>_files`` folder saved beside ``<stem>.html``/``.htm``;
    and how many were left out per such folder."""
    pages = {p.parent / f"{p.stem}_files" for p in files if p.suffix.lower() in (".html", ".htm")}
    kept, assets = [], Counter()
    for file in files:
        folder = next((parent for parent in file.parents if parent in pages), None)
        if folder is None:
            kept.append(file)
        else:
            assets[folder.name] += 1
    return kept, dict(assets)


def skipped_note(label: str, skipped: list[tuple[str, str]], shown: int = SHOWN_SKIPPED) -> str:
    """The warning naming skipped files (``(relative path, why)``): all of them, or the first
    ``shown`` and a count of all per ending.

    A saved web page comes with a folder of scripts, styles and images; a
    warning listing hundreds of them would bury the ones that matter.
    """
    note = f"{label}: skipped {len(skipped)} file(s): " + "; ".join(f"{f} ({why})" for f, why in skipped[:shown])
    if len(skipped) <= shown:
        return note
    endings = Counter(Path(f).suffix.lower() or "(none)" for f, _ in skipped)
    counts = ", ".join(f"{ending} {count}" for ending, count in endings.most_common())
    return f"{note}; and {len(skipped) - shown} more (all skipped files by ending: {counts})"
