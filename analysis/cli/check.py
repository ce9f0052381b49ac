"""``analysis check``: read and validate a corpus as a run would, and say what it holds, without models.

Before a long run, a researcher sees whether the input was read as meant:
how many records were accepted and rejected (and why), which fields were
found, the date range, the outlets and the article lengths, how often each
target is mentioned (with the config's targets), and every warning of the
reading. No model is loaded and nothing is written unless
``--out`` names a folder for the article and reject tables.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

import analysis
from analysis.cli.options import COLUMN_OPTION, FORMAT_OPTION, parse_columns, with_columns, with_format
from analysis.cli.options import fail as _fail
from analysis.config import load_config
from analysis.io import write_table

console = Console(soft_wrap=True, highlight=False)
__all__ = ["check", "register"]

#: Rejected records printed one per line (``--out`` writes them all).
SHOWN_REJECTS = 10


def check(corpus: Optional[list[Path]] = typer.Option(None, "--corpus", "-c", help="Corpus file(s) or folder; default: the bundled sample."),
          config: Optional[Path] = typer.Option(None, "--config", help="TOML or YAML config (its corpus section is used)."),
          fmt: Optional[str] = FORMAT_OPTION,
          column: Optional[list[str]] = COLUMN_OPTION,
          out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write articles and rejects (Parquet and CSV) to this folder.")) -> None:
    """Read and validate a corpus without analysing it: counts, fields, dates, outlets, warnings, rejects.

    Exits with code 1 when no article is accepted.
    """
    try:
        cfg = with_columns(with_format(load_config(config), fmt), parse_columns(column))
        paths = analysis.DEFAULT_CORPUS if not corpus else (corpus[0] if len(corpus) == 1 else list(corpus))
        load = analysis.load_corpus(paths, **cfg.corpus.load_options())
    except (analysis.ConfigError, analysis.CorpusError, ValueError) as err:
        _fail(str(err))
    for line in analysis.profile_lines(analysis.corpus_profile(load)):
        console.print(line, markup=False)
    if not load.articles.empty:
        _print_coverage(load.articles, cfg)
    for warning in load.warnings:
        console.print(f"warning: {warning}", markup=False)
    messages = load.messages()
    for message in messages[:SHOWN_REJECTS]:
        console.print(f"rejected: {message}", markup=False)
    if len(messages) > SHOWN_REJECTS:
        console.print(f"... and {len(messages) - SHOWN_REJECTS} more rejected records"
                      + ("" if out else " (--out FOLDER writes them all)"), markup=False)
    if out is not None:
        write_table(load.articles, out, "articles")
        write_table(load.rejects, out, "rejects")
        console.print(f"tables: {out / 'articles.parquet'}, {out / 'rejects.csv'} (and .csv / .parquet)", markup=False)
    if load.articles.empty:
        raise typer.Exit(code=1)


def _print_coverage(articles, cfg) -> None:
    """Per target of the config: the sentences and articles that mention it, and the forms matched."""
    from analysis.stance import coverage_lines, target_coverage

    try:
        coverage = target_coverage(articles, [t.model_dump() for t in cfg.stance.targets])
    except ValueError as err:  # a target the matcher cannot compile
        _fail(str(err))
    for line in coverage_lines(coverage, len(articles)):
        console.print(line, markup=False)


def register(app: typer.Typer) -> None:
    """Add ``check`` to the main ``analysis`` app."""
    app.command("check")(check)
