"""Command-line interface (typer); every command calls the public Python API."""
from __future__ import annotations

import atexit
import gc
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

import analysis
from analysis.cli.check import register as register_check_command
from analysis.cli.contrast import register as register_contrast_command
from analysis.cli.edit import register as register_edit_commands
from analysis.cli.groups import LazyGroups
from analysis.cli.options import (COLUMN_OPTION, FORMAT_OPTION, parse_columns, print_input_notes, with_columns,
                                  with_format)
from analysis.cli.options import fail as _fail
from analysis.config import config_to_toml, load_config

app = typer.Typer(help="Topic and stance analysis of news corpora.", no_args_is_help=True,
                  pretty_exceptions_enable=False, cls=LazyGroups)
console = Console(stderr=True, soft_wrap=True)
__all__ = ["app"]

# A command's work is done when the interpreter exits: move every object out of the garbage
# collector's reach first, so that shutdown does not walk the object graph of pandas, matplotlib
# and torch (0.3-0.4 s of every command). Handlers registered later (closing pools, removing
# temporary folders) still run before this one, and files are closed by their owners.
atexit.register(gc.freeze)

register_check_command(app)  # check
register_edit_commands(app)  # assign, relabel, merge
register_contrast_command(app)  # contrast


@app.command()
def run(corpus: Optional[list[Path]] = typer.Option(None, "--corpus", "-c", help="Corpus file(s) or folder; default: the bundled sample."),
        config: Optional[Path] = typer.Option(None, "--config", help="TOML or YAML config; default: built-in defaults."),
        output: Path = typer.Option(Path("reports"), "--output", "-o", help="Folder that receives <run-id>/."),
        cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Embedding cache folder."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars."),
        engine: str = typer.Option("inprocess", "--engine", help="Where partitioned stages run: inprocess or dask."),
        scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (with --engine dask)."),
        no_reuse: bool = typer.Option(False, "--no-reuse", help="Recompute: reuse neither a recorded identical run nor cached topic/stance stages."),
        fmt: Optional[str] = FORMAT_OPTION,
        column: Optional[list[str]] = COLUMN_OPTION) -> None:
    """Run the full pipeline and write a report folder."""
    paths = None if not corpus else (corpus[0] if len(corpus) == 1 else list(corpus))
    columns = parse_columns(column)
    try:
        cfg = with_columns(with_format(load_config(config), fmt), columns)
        result = analysis.run_pipeline(paths, cfg, output, cache_dir=cache_dir, show_progress=not quiet,
                                       engine=engine, scheduler=scheduler, reuse=not no_reuse)
    except (analysis.ConfigError, analysis.CorpusError, analysis.ModelNotFoundError, ValueError) as err:
        _fail(str(err))
    counts = result.manifest["counts"]
    if result.manifest.get("reused_from"):
        console.print(f"unchanged input and config: copied from {result.manifest['reused_from']} "
                      "(--no-reuse recomputes)", highlight=False, markup=False)
    elif result.manifest.get("reused"):
        console.print("unchanged input and config: read back from the existing run folder (--no-reuse recomputes)")
    console.print(f"run [bold]{result.run_id}[/]: {counts['accepted']} articles "
                  f"({counts['rejected']} rejected), {counts['paragraphs']} paragraphs, "
                  f"{counts['topics']} topics, {counts['mentions']} target mentions")
    shown = quiet or result.manifest.get("reused")  # otherwise the run's own summary has listed the warnings
    print_input_notes(console, result.manifest.get("warnings", []) if shown else [], result.tables.get("rejects"),
                      result.run_dir / "tables" / "rejects.csv", result.run_dir / "manifest.json")
    print(f"report: {result.report_path}")


@app.command()
def rerun(run_dir: Path = typer.Argument(..., help="A run folder, e.g. reports/<run-id>."),
          output: Optional[Path] = typer.Option(None, "--output", "-o", help="Where to write the rerun (default: a temporary folder)."),
          cache_dir: Optional[Path] = typer.Option(None, "--cache-dir")) -> None:
    """Rerun from a run's manifest and report whether every table matches."""
    try:
        result = analysis.rerun(run_dir, output, cache_dir)
    except (FileNotFoundError, ValueError) as err:
        _fail(str(err))
    for name, same in result.matches.items():
        console.print(f"  {name:<20} {'match' if same else '[red]DIFFERS[/]'}")
    verdict = "identical" if result.identical else "DIFFERENT"
    print(f"rerun of {result.run_id}: {verdict} (written to {result.new_run_dir})")
    if not result.identical:
        raise typer.Exit(code=1)


@app.command("config")
def show_config(config: Optional[Path] = typer.Argument(None, help="A config file to validate and complete.")) -> None:
    """Print the complete config (defaults filled in) as TOML."""
    try:
        print(config_to_toml(load_config(config)))
    except analysis.ConfigError as err:
        _fail(str(err))


if __name__ == "__main__":
    app()
