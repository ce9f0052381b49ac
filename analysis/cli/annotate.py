"""``analysis annotate``: draw target sentences for a researcher to label."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from analysis.cli.options import FORMAT_OPTION, with_format
from analysis.cli.options import fail as _fail
from analysis.config import ConfigError, load_config
from analysis.corpus import CorpusError
from analysis.pipeline import run_pipeline
from analysis.runs import TABLES_DIR, read_tables
from analysis.stance.sampling import annotation_sheet, write_annotation_sheet

app = typer.Typer(help="Prepare annotation sheets (sample -> label -> train -> evaluate).",
                  no_args_is_help=True)
console = Console(stderr=True, soft_wrap=True)


def _run_tables(run: Path):
    """(stance, paragraph_topics or None) of a finished run folder."""
    tables = run / TABLES_DIR
    if not (tables / "stance.parquet").is_file():
        raise FileNotFoundError(f"{run} is not a run folder: {tables / 'stance.parquet'} is missing")
    names = ["stance"] + (["paragraph_topics"] if (tables / "paragraph_topics.parquet").is_file() else [])
    found = read_tables(run, names)
    return found["stance"], found.get("paragraph_topics")


@app.command()
def sample(out: Path = typer.Option(..., "--out", "-o", help="CSV sheet to write."),
           n: int = typer.Option(200, "--n", min=1, help="Number of (sentence, target) pairs."),
           run: Optional[Path] = typer.Option(None, "--run", help="Sample from a finished run folder (fast)."),
           corpus: Optional[list[Path]] = typer.Option(None, "--corpus", "-c", help="Or run the pipeline on this corpus first."),
           config: Optional[Path] = typer.Option(None, "--config"),
           seed: Optional[int] = typer.Option(None, "--seed", help="Default: the config's seed."),
           allocation: str = typer.Option("equal", "--allocation", help="equal or proportional per topic x target."),
           cache_dir: Optional[Path] = typer.Option(None, "--cache-dir"),
           fmt: Optional[str] = FORMAT_OPTION) -> None:
    """Draw a stratified sample (topic x target) of target sentences into a CSV to label."""
    try:
        cfg = with_format(load_config(config), fmt)
        if run is not None:
            stance, topics = _run_tables(run)
        else:
            paths = None if not corpus else (corpus[0] if len(corpus) == 1 else list(corpus))
            with tempfile.TemporaryDirectory() as tmp:
                result = run_pipeline(paths, cfg, tmp, cache_dir=cache_dir, show_progress=False)
            stance, topics = result.stance, result.paragraph_topics
        sheet = annotation_sheet(stance, topics, n, cfg.seed if seed is None else seed, allocation)
    except (ConfigError, CorpusError, FileNotFoundError, ValueError) as err:
        _fail(str(err))
    write_annotation_sheet(sheet, out)
    strata = sheet.groupby(["topic", "target"], dropna=False).ngroups
    print(f"wrote {len(sheet)} rows from {strata} topic x target strata to {out}; "
          f"fill in 'label' (favor / against / neutral), then: analysis stance train {out} --out MODEL_DIR")
