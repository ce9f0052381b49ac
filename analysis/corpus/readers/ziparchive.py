"""Zip archives: read like a folder of the files inside.

Corpora are often downloaded as one ``.zip`` (exports of news databases,
shared datasets). The archive's files are unpacked into a temporary folder
that is removed afterwards, then read exactly as :func:`~.folder.read_folder`
reads a folder: every supported file by its ending, every other one named
as skipped. Records are located inside the archive (``corpus.zip/tass/a.jsonl
line 3``). Archive metadata folders (``__MACOSX``) and hidden files are not
read; encrypted members and damaged archives are clear errors naming the
archive. Only the files a reader takes are unpacked; the others are named
as skipped without being unpacked, as is a member whose name climbs out of
the archive (``../x.jsonl``). Absolute names are unpacked inside the
temporary folder (``/etc/x.jsonl`` as ``etc/x.jsonl``), and a symbolic link
is unpacked as a small file holding its target's name, never followed.
"""
from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from ..errors import CorpusError
from ..records import ReadResult, printable
from .detect import unsupported_reason

#: Largest total unpacked size read from one archive (a guard against zip bombs).
MAX_UNPACKED_BYTES = 8 * 1024**3


def read_zip(path: Path, label: str) -> ReadResult:
    """Read every supported file inside the zip archive ``path`` (see the module docstring)."""
    from .folder import read_folder  # the folder reader reads archives too

    try:
        with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory(prefix="analysis-zip-") as tmp:
            skipped = _unpack(archive, Path(tmp), label)
            return read_folder(Path(tmp), label, skipped)
    except zipfile.BadZipFile as exc:
        raise CorpusError(f"{label}: not a readable zip archive ({exc})") from None
    except (OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as exc:
        raise CorpusError(f"{label}: cannot unpack the zip archive ({str(exc)[:200]})") from None


def _unpack(archive: zipfile.ZipFile, folder: Path, label: str) -> list[tuple[str, str]]:
    """Unpack the members a reader takes into ``folder``; return the others as (name, reason)."""
    members, skipped = [], []
    for member in archive.infolist():
        if member.is_dir() or _hidden(member.filename):
            continue
        why = ("its name climbs out of the archive ('..'): not unpacked" if ".." in Path(member.filename).parts
               else unsupported_reason(Path(member.filename)))
        if why:
            skipped.append((printable(member.filename), why))
        else:
            members.append(member)
    encrypted = [m.filename for m in members if m.flag_bits & 0x1]
    if encrypted:
        raise CorpusError(f"{label}: {len(encrypted)} file(s) in the archive are encrypted "
                          f"(e.g. {encrypted[0]!r}); unpack it with its password and pass the folder")
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED_BYTES:
        raise CorpusError(f"{label}: the archive unpacks to {total / 1024**3:.1f} GB, over the "
                          f"{MAX_UNPACKED_BYTES / 1024**3:.0f} GB read from an archive; unpack it and pass the folder")
    for member in members:
        archive.extract(member, folder)  # zipfile drops absolute paths and '..' parts
    return skipped


def _hidden(name: str) -> bool:
    """Archive metadata (``__MACOSX/``) and hidden files, which a folder does not read either."""
    return name.startswith("__MACOSX/") or any(part.startswith(".") and part != ".."
                                                for part in Path(name).parts)
