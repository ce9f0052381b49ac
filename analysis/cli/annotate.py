"""``analysis annotate``: draw target sentences for a researcher to label."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

app = typer.Typer(help="Prepare annotation sheets (sample -> label -> train -> evaluate).",
                  no_args_is_help=True)
console = Console(stderr=True)


def _fail(message: str) -> None:
    console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code=2)


def _run_tables(run: Path):
    import pandas as pd

    tables = run / "tables"
    stance_path = tables / "stance.parquet"
    if not stance_path.is_file():
        raise FileNotFoundError(f"{run} is not a run folder: {stance_path} is missing")
    topics_path = tables / "paragraph_topics.parquet"
    topics = pd.read_parquet(topics_path) if topics_path.is_file() else None
    return pd.read_parquet(stance_path), topics


@app.command()
def sample(out: Path = typer.Option(..., "--out", "-o", help="CSV sheet to write."),
           n: int = typer.Option(200, "--n", min=1, help="Number of (sentence, target) pairs."),
           run: Optional[Path] = typer.Option(None, "--run", help="Sample from a finished run folder (fast)."),
           corpus: Optional[list[Path]] = typer.Option(None, "--corpus", "-c", help="Or run the pipeline on this corpus first."),
           config: Optional[Path] = typer.Option(None, "--config"),
           seed: Optional[int] = typer.Option(None, "--seed", help="Default: the config's seed."),
           allocation: str = typer.Option("equal", "--allocation", help="equal or proportional per topic x target."),
           cache_dir: Optional[Path] = typer.Option(None, "--cache-dir")) -> None:
    """Draw a stratified sample (topic x target) of target sentences into a CSV to label."""
    import tempfile

    from ..config import ConfigError, load_config
    from ..stance.sampling import annotation_sheet, write_annotation_sheet

    try:
        cfg = load_config(config)
        if run is not None:
            stance, topics = _run_tables(run)
        else:
            from ..pipeline import run_pipeline

            paths = None if not corpus else (corpus[0] if len(corpus) == 1 else list(corpus))
            with tempfile.TemporaryDirectory() as tmp:
                result = run_pipeline(paths, cfg, tmp, cache_dir=cache_dir, show_progress=False)
            stance, topics = result.stance, result.paragraph_topics
        sheet = annotation_sheet(stance, topics, n, cfg.seed if seed is None else seed, allocation)
    except (ConfigError, FileNotFoundError, ValueError) as err:
        _fail(str(err))
    write_annotation_sheet(sheet, out)
    strata = sheet.groupby(["topic", "target"], dropna=False).ngroups
    print(f"wrote {len(sheet)} rows from {strata} topic x target strata to {out}; "
          f"fill in 'label' (favor / against / neutral), then: analysis stance train {out} --out MODEL_DIR")
