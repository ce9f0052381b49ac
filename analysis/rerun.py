"""Re-running a finished run from its manifest and checking the results match."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from .manifest import compare_tables, config_of, read_manifest
from .pipeline import run_pipeline


@dataclass
class RerunResult:
    """Outcome of a rerun: per-table match flags and where the rerun was written."""

    run_id: str
    new_run_id: str
    new_run_dir: Path
    matches: dict[str, bool]

    @property
    def identical(self) -> bool:
        return self.run_id == self.new_run_id and all(self.matches.values())


def rerun(run_dir: str | Path, output_dir: str | Path | None = None,
          cache_dir: str | Path | None = None, show_progress: bool = False) -> RerunResult:
    """Run again with the recorded config and corpus; compare every table's digest.

    The rerun is written under ``output_dir`` (default: a new temporary
    directory), never over the original run folder. It always recomputes:
    neither a recorded run nor the stage cache is reused (embeddings still
    come from the embedding cache).
    """
    manifest = read_manifest(run_dir)
    paths = manifest["corpus"].get("paths") or []
    if not paths:
        raise ValueError(f"run {manifest['run_id']} was made from an in-memory table; pass the data again")
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise FileNotFoundError(f"corpus of run {manifest['run_id']} not found: {', '.join(missing)}")
    out = Path(output_dir) if output_dir else Path(tempfile.mkdtemp(prefix="analysis-rerun-"))
    if out.resolve() == Path(run_dir).resolve().parent:
        raise ValueError("rerun output must differ from the original run's folder")
    corpus = paths[0] if len(paths) == 1 else paths
    result = run_pipeline(corpus, config_of(manifest), out, cache_dir=cache_dir,
                          show_progress=show_progress, reuse=False)  # no whole-run or stage reuse: recompute
    return RerunResult(run_id=manifest["run_id"], new_run_id=result.run_id,
                       new_run_dir=result.run_dir,
                       matches=compare_tables(manifest["tables"], result.manifest["tables"]))
