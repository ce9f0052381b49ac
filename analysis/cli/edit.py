"""``analysis assign``, ``analysis relabel``, ``analysis merge``: use and edit a finished run, no refit.

The commands call the package's public API (``analysis.assign_run``, ...),
whose modules load on first use: an edit never imports the modelling libraries.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

import analysis
from analysis.cli.options import COLUMN_OPTION, FORMAT_OPTION, parse_columns, print_input_notes
from analysis.cli.options import fail as _fail
from analysis.paths import ASSIGNED_DIR

console = Console(stderr=True, soft_wrap=True)
__all__ = ["assign", "merge", "register", "relabel"]


def _run_dir(path: Path) -> Path:
    if not (path / "manifest.json").is_file():
        _fail(f"{path} is not a run folder (no manifest.json)")
    return path


def assign(run_dir: Path = typer.Argument(..., help="A run folder, e.g. reports/<run-id>."),
           corpus: list[Path] = typer.Option(..., "--corpus", "-c", help="New corpus file(s) or folder."),
           out: Optional[Path] = typer.Option(None, "--out", "-o", help="Folder for the tables (default: RUN_DIR/assigned/<corpus fingerprint>)."),
           cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Embedding cache folder."),
           fmt: Optional[str] = FORMAT_OPTION,
           column: Optional[list[str]] = COLUMN_OPTION,
           quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars.")) -> None:
    """Assign a new corpus to a run's topics and score its stance with the run's scorer (no refit)."""
    paths = corpus[0] if len(corpus) == 1 else list(corpus)
    columns = parse_columns(column)
    try:
        tables = analysis.assign_run(_run_dir(run_dir), paths, out, cache_dir=cache_dir, fmt=fmt,
                                     columns=columns, show_progress=not quiet)
    except (analysis.ConfigError, analysis.CorpusError, analysis.ModelNotFoundError, FileNotFoundError,
            ValueError) as err:
        _fail(str(err))
    topics = tables["topics"]
    used = topics[topics["size"] > 0]
    rejects = tables["rejects"]
    console.print(f"{len(tables['articles'])} articles ({len(rejects)} rejected), {len(tables['paragraphs'])} "
                  f"paragraphs in {len(used)} of the run's topics; {len(tables['mentions'])} target mentions")
    folder = out or (run_dir / ASSIGNED_DIR / analysis.corpus_fingerprint(tables["articles"])[:12])
    recorded = json.loads((folder / "assignment.json").read_text(encoding="utf-8"))
    print_input_notes(console, recorded.get("warnings", []), rejects, folder / "rejects.csv", folder / "assignment.json")
    print(f"tables: {folder}")


def relabel(run_dir: Path = typer.Argument(..., help="A run folder, e.g. reports/<run-id>."),
            topic: list[str] = typer.Option(..., "--topic", "-t", help="ID=NAME; repeat for several topics.")) -> None:
    """Rename topics in the run's tables, saved topic model and report (no refit)."""
    labels = {}
    for item in topic:
        key, sep, name = item.partition("=")
        if not sep or not key.strip().lstrip("-").isdigit():
            _fail(f"--topic takes ID=NAME, got {item!r}")
        labels[int(key)] = name
    try:
        manifest = analysis.relabel_run(_run_dir(run_dir), labels)
    except (FileNotFoundError, ValueError) as err:
        _fail(str(err))
    _done(manifest, run_dir)


def merge(run_dir: Path = typer.Argument(..., help="A run folder, e.g. reports/<run-id>."),
          topics: str = typer.Option(..., "--topics", help="A,B: topic B's paragraphs move to topic A."),
          name: Optional[str] = typer.Option(None, "--name", help="Name of the merged topic (default: A's).")) -> None:
    """Merge two topics of a run: tables, stance by topic, saved topic model and report (no refit)."""
    parts = [p.strip() for p in topics.split(",")]
    if len(parts) != 2 or not all(p.lstrip("-").isdigit() for p in parts):
        _fail(f"--topics takes two topic ids A,B, got {topics!r}")
    try:
        manifest = analysis.merge_topics(_run_dir(run_dir), int(parts[0]), int(parts[1]), name)
    except (FileNotFoundError, ValueError) as err:
        _fail(str(err))
    _done(manifest, run_dir)


def _done(manifest: dict, run_dir: Path) -> None:
    edits = manifest.get("edits", [])
    if edits:
        last = edits[-1]
        console.print(f"edit {len(edits)} ({last['kind']}) recorded in {run_dir / 'manifest.json'}; "
                      f"{last.get('seconds', 0):.1f} s")
    print(f"report: {run_dir / 'report.html'}")


def register(app: typer.Typer) -> None:
    """Add the three commands to the main ``analysis`` app."""
    app.command("assign")(assign)
    app.command("relabel")(relabel)
    app.command("merge")(merge)
