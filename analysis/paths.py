"""Well-known locations: the bundled corpus and the user cache."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: The sample digest shipped with the project (immutable input).
DEFAULT_CORPUS = PROJECT_ROOT / "data" / "raw" / "sample_digest_russia.txt"

#: Sub-folder of a run folder that receives assignments of new corpora (``analysis assign``).
ASSIGNED_DIR = "assigned"


def output_dir(path: str | Path | None = None) -> Path:
    """Where a notebook writes its runs: ``path``, else ``$ANALYSIS_OUTPUT_DIR``, else a new
    temporary folder (never inside the repository)."""
    if path:
        return Path(path)
    if os.environ.get("ANALYSIS_OUTPUT_DIR"):
        return Path(os.environ["ANALYSIS_OUTPUT_DIR"])
    return Path(tempfile.mkdtemp(prefix="analysis-runs-"))


def default_cache_dir() -> Path:
    """``$ANALYSIS_CACHE_DIR``, else ``$XDG_CACHE_HOME/analysis``, else ``~/.cache/analysis``."""
    if os.environ.get("ANALYSIS_CACHE_DIR"):
        return Path(os.environ["ANALYSIS_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "analysis"
