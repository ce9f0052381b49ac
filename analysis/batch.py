"""Batch runs: several configs on one corpus, one report each, an index page and a catalog.

:func:`run_batch` runs the pipeline once per config file (a folder stands for
every ``*.toml``, ``*.yaml`` and ``*.yml`` in it, sorted), all with the same
embedding cache, so each paragraph is embedded once for the whole batch
when the runs share an embedding model. It then writes
``<output>/index.html`` comparing the runs and adds every run to the DuckDB
catalog ``<output>/catalog.duckdb`` (see :mod:`analysis.catalog`).
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import CATALOG_FILE, add_tables
from .config import load_config, with_format
from .paths import default_cache_dir
from .pipeline import run_pipeline
from .report.compare import compare_runs
from .report.index import render_index

CONFIG_SUFFIXES = (".toml", ".yaml", ".yml")


@dataclass
class BatchResult:
    """The runs of a batch (in config order), their labels, and the files written."""

    runs: list = field(repr=False)
    labels: list[str]
    index_path: Path
    catalog_path: Path

    @property
    def run_ids(self) -> list[str]:
        return [r.run_id for r in self.runs]


def config_paths(specs: Sequence[str | Path]) -> list[Path]:
    """Config files named by ``specs``: files as given, folders expanded to their config files."""
    out: list[Path] = []
    for spec in specs:
        path = Path(spec)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in CONFIG_SUFFIXES)
            if not found:
                raise FileNotFoundError(f"no config files (*.toml, *.yaml) in folder {path}")
            out.extend(found)
        elif path.is_file():
            out.append(path)
        else:
            raise FileNotFoundError(f"config not found: {path}")
    if not out:
        raise ValueError("no configs given")
    return out


def run_batch(configs: Sequence[str | Path], corpus=None, output_dir: str | Path = "reports", *,
              cache_dir: str | Path | None = None, show_progress: bool = False,
              title: str = "Runs compared", corpus_format: str | None = None) -> BatchResult:
    """Run every config on ``corpus``; write each report, ``index.html`` and the catalog.

    ``corpus`` is anything :func:`analysis.run_pipeline` accepts (``None``:
    the bundled sample; ``corpus_format`` overrides every config's
    ``corpus.format``). The runs are labelled by their config file names.
    Rerunning a batch replaces the runs' rows in the catalog and rewrites the
    index.
    """
    paths = config_paths(configs)
    parsed = [load_config(p) for p in paths]  # every config is checked before anything runs
    parsed = [with_format(c, corpus_format, str(p)) for p, c in zip(paths, parsed)]
    cache = Path(cache_dir) if cache_dir else default_cache_dir()
    output = Path(output_dir)
    catalog = output / CATALOG_FILE
    runs, labels = [], []
    for path, cfg in zip(paths, parsed):
        result = run_pipeline(corpus, cfg, output, cache_dir=cache, show_progress=show_progress)
        add_tables(catalog, result.manifest, result.tables, result.run_dir)
        runs.append(result)
        labels.append(path.stem)
    comparison = compare_runs(runs, labels)
    links = {label: Path(os.path.relpath(run.report_path, output)).as_posix()
             for label, run in zip(comparison.labels, runs)}
    index = render_index(comparison, output, links, title)
    return BatchResult(runs=runs, labels=comparison.labels, index_path=index, catalog_path=catalog)
