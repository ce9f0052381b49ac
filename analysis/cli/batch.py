"""``analysis batch``: run several configs, write an index page and the DuckDB catalog."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from analysis.batch import run_batch
from analysis.cli.options import FORMAT_OPTION
from analysis.config import ConfigError
from analysis.corpus import CorpusError
from analysis.embed import ModelNotFoundError

app = typer.Typer(help="Run several configs on one corpus; compare them in reports/index.html.",
                  subcommand_metavar="", context_settings={"allow_interspersed_args": True})
console = Console(stderr=True, soft_wrap=True)


@app.callback(invoke_without_command=True)
def batch(configs: list[Path] = typer.Argument(..., help="Config files (TOML/YAML) or folders of them."),
          corpus: Optional[list[Path]] = typer.Option(None, "--corpus", "-c", help="Corpus file(s) or folder; default: the bundled sample."),
          output: Path = typer.Option(Path("reports"), "--output", "-o", help="Folder for the run folders, index.html and catalog.duckdb."),
          cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Embedding cache shared by all runs."),
          title: str = typer.Option("Runs compared", "--title", help="Title of index.html."),
          quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars."),
          fmt: Optional[str] = FORMAT_OPTION) -> None:
    """Run every config, then write index.html comparing the runs and add them to catalog.duckdb."""
    paths = None if not corpus else (corpus[0] if len(corpus) == 1 else list(corpus))
    try:
        result = run_batch(configs, paths, output, cache_dir=cache_dir, show_progress=not quiet,
                           title=title, corpus_format=fmt)
    except (ConfigError, CorpusError, ModelNotFoundError, FileNotFoundError, ValueError) as err:
        console.print(f"[bold red]error:[/] {err}", highlight=False)
        raise typer.Exit(code=2)
    for label, run in zip(result.labels, result.runs):
        counts = run.manifest["counts"]
        console.print(f"{label}: run [bold]{run.run_id}[/], {counts['topics']} topics, "
                      f"{counts['mentions']} mentions, {counts.get('embedding_cache_hits', 0)} "
                      f"embedding cache hits")
    print(f"index: {result.index_path}")
    print(f"catalog: {result.catalog_path}")
