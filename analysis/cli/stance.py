"""``analysis stance``: train, evaluate, benchmark and rebuild stance models."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

app = typer.Typer(help="Train, evaluate and benchmark stance scorers.", no_args_is_help=True)
console = Console(stderr=True)


def _fail(message: str) -> None:
    console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code=2)


def _pct(x: float) -> str:
    return f"{100 * x:.2f}"


def _print_train(result) -> None:
    m, b = result.info.get("metrics", {}), result.info.get("baseline_metrics", {})
    rows = result.info["training"]["rows"]
    print(f"model: {result.model_dir}")
    print(f"rows: train {rows['train']}, dev {rows['dev']}, test {rows['test']}; "
          f"calibration: {result.info['training']['calibration']}; {result.info['seconds']} s")
    if m:
        print(f"test macro-F1 {_pct(m['macro_f1'])} [{_pct(m['macro_f1_low'])}, {_pct(m['macro_f1_high'])}]  "
              f"F_avg {_pct(m['f_avg_f1'])} [{_pct(m['f_avg_f1_low'])}, {_pct(m['f_avg_f1_high'])}]  "
              f"accuracy {_pct(m['accuracy'])}  ECE {m['ece']:.3f}")
        print(f"lexicon baseline on the same split: macro-F1 {_pct(b['macro_f1'])}  F_avg {_pct(b['f_avg_f1'])}")
    print(f"digest: {result.info['digest']}")


@app.command()
def train(annotations: Path = typer.Argument(..., help="Annotations CSV: text, target, label[, split]."),
          out: Path = typer.Option(..., "--out", "-o", help="Model directory to write."),
          config: Optional[Path] = typer.Option(None, "--config", help="Config whose [stance.train] and stance.targets are used."),
          seed: Optional[int] = typer.Option(None, "--seed", help="Default: the config's seed."),
          cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Embedding cache folder.")) -> None:
    """Train the stance learner on an annotations CSV and write a model directory."""
    from ..config import ConfigError, load_config
    from ..paths import default_cache_dir
    from ..stance.annotations import AnnotationError
    from ..stance.train import train_model

    try:
        cfg = load_config(config)
        result = train_model(annotations, out, cfg.stance.train,
                             targets=[t.model_dump() for t in cfg.stance.targets],
                             cache_dir=str(cache_dir or default_cache_dir()),
                             seed=cfg.seed if seed is None else seed)
    except (ConfigError, AnnotationError, ValueError) as err:
        _fail(str(err))
    _print_train(result)


@app.command("build-default")
def build_default(out: Optional[Path] = typer.Option(None, "--out", "-o", help="Default: the package's models/default."),
                  annotations: Optional[Path] = typer.Option(None, "--annotations", help="Default: data/annotations/stance_annotations.csv."),
                  check: bool = typer.Option(False, "--check", help="Rebuild into a temporary folder and compare with the shipped model (exit 1 if different).")) -> None:
    """Rebuild the shipped default model from the shipped annotations (deterministic)."""
    import tempfile

    from ..stance.annotations import AnnotationError
    from ..stance.modelio import DEFAULT_MODEL_DIR, model_digest
    from ..stance.train import DEFAULT_ANNOTATIONS, build_default as build

    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "default" if check else (out or DEFAULT_MODEL_DIR)
        try:
            result = build(target, annotations or DEFAULT_ANNOTATIONS)
        except (AnnotationError, ValueError) as err:
            _fail(str(err))
        _print_train(result)
        if check:
            shipped = model_digest(out or DEFAULT_MODEL_DIR)
            same = shipped == result.info["digest"]
            print(f"shipped model digest {shipped}: {'identical' if same else 'DIFFERENT'}")
            if not same:
                raise typer.Exit(code=1)


@app.command()
def evaluate(gold: Path = typer.Option(..., "--gold", help="Annotations CSV with gold labels (label_2: second annotator)."),
             model: str = typer.Option("default", "--model", help="Model directory, 'default', or 'static' (trained at first use with the config's [stance.train])."),
             scorer: str = typer.Option("stance.learner.v1", "--scorer", help="Registered scorer name."),
             split: str = typer.Option("test", "--split", help="Rows of this split ('all' = every row)."),
             out: Optional[Path] = typer.Option(None, "--out", "-o", help="Report folder (default: validation/<file stem>)."),
             config: Optional[Path] = typer.Option(None, "--config", help="Config whose stance.targets find the mentions."),
             cache_dir: Optional[Path] = typer.Option(None, "--cache-dir")) -> None:
    """Measure a scorer against gold labels and write a validation report."""
    from ..config import ConfigError, load_config
    from ..eval.stance_evaluate import evaluate_annotations
    from ..eval.validation_report import write_validation_report
    from ..paths import default_cache_dir
    from ..stance.annotations import AnnotationError
    from ..stance.modelio import ModelFormatError
    from ..stance.validation import summary

    try:
        cfg = load_config(config)
        tables = evaluate_annotations(gold, scorer, model, split,
                                      targets=[t.model_dump() for t in cfg.stance.targets],
                                      cache_dir=str(cache_dir or default_cache_dir()), seed=cfg.seed,
                                      train=cfg.stance.train.model_dump(mode="json"))
    except (ConfigError, AnnotationError, ModelFormatError, ValueError) as err:
        _fail(str(err))
    title = f"Stance validation: {scorer} ({model}) on {gold.name}, split {split}"
    report = write_validation_report(tables, out or Path("validation") / gold.stem, title)
    s = summary(tables)
    print(f"{s['n']} items: macro-F1 {_pct(s['macro_f1'])} [{_pct(s['macro_f1_low'])}, "
          f"{_pct(s['macro_f1_high'])}]  F_avg {_pct(s['f_avg_f1'])} [{_pct(s['f_avg_f1_low'])}, "
          f"{_pct(s['f_avg_f1_high'])}]  accuracy {_pct(s['accuracy'])}"
          + (f"  ECE {s['ece']:.3f}" if "ece" in s else ""))
    if "agreement" in tables:
        a = tables["agreement"].set_index("measure")["value"]
        print(f"annotators: kappa {a['cohen_kappa']:.3f}  alpha {a['krippendorff_alpha']:.3f}")
    print(f"report: {report}")


@app.command()
def benchmark(name: str = typer.Argument(..., help="semeval, ruw, ruw-default, or unseen-targets (leave-one-target-out on an annotations CSV)"),
              data: Path = typer.Option(..., "--data", help="The benchmark's folder (e.g. ../shared/eval/semeval2016_task6) or, for unseen-targets, an annotations CSV."),
              test: Optional[Path] = typer.Option(None, "--test", help="SemEval Task A gold test file, if you have it."),
              model: str = typer.Option("default", "--model", help="For ruw-default: the model to score (default, static, or a directory)."),
              backend: str = typer.Option("transformer", "--backend", help="Features of the trained learners: transformer or static (distilled from the same model)."),
              cache_dir: Optional[Path] = typer.Option(None, "--cache-dir"),
              seed: int = typer.Option(0, "--seed")) -> None:
    """Reproduce a public benchmark figure (skips cleanly when the data is absent)."""
    from ..eval import stance as benchmarks
    from ..paths import default_cache_dir

    if name not in ("semeval", "ruw", "ruw-default", "unseen-targets"):
        _fail(f"unknown benchmark {name!r}; choose semeval, ruw, ruw-default or unseen-targets")
    if not data.exists():
        print(f"skipped: benchmark data not found at {data}")
        raise typer.Exit(code=0)
    if backend not in ("transformer", "static"):
        _fail(f"unknown backend {backend!r}; choose transformer or static")
    cache = str(cache_dir or default_cache_dir())
    grid = benchmarks.with_backend(benchmarks.GRID, backend)
    if name == "semeval":
        out = benchmarks.semeval_benchmark(data, test, grid, cache_dir=cache, seed=seed)
        print(f"SemEval-2016 Task 6, TweetEval val F_avg (selected setting): {_pct(out['val_f_avg'])}  {out['best']}")
        if "test" in out:
            m = out["test"].set_index("label")
            print(f"Task A test F_avg: {_pct(m.loc['f_avg', 'f1'])} "
                  f"[{_pct(m.loc['f_avg', 'f1_low'])}, {_pct(m.loc['f_avg', 'f1_high'])}]")
    elif name == "ruw":
        out = benchmarks.ruw_benchmark(data, grid, cache_dir=cache, seed=seed)
        print(f"RUW Russia, val macro-F1 (selected setting): {_pct(out['val_macro_f1'])}  "
              f"F_avg {_pct(out['val_f_avg'])}  {out['best']}")
    elif name == "unseen-targets":
        table = benchmarks.unseen_targets(data, cache_dir=cache, seed=seed, backend=backend)
        for row in table.itertuples(index=False):
            print(f"{row.target:<20} n={row.n:<4} macro-F1 {_pct(row.macro_f1)}  F_avg {_pct(row.f_avg)}")
        print(f"mean over targets: macro-F1 {_pct(table['macro_f1'].mean())}  F_avg {_pct(table['f_avg'].mean())}")
    else:
        out = benchmarks.out_of_box(data, model, cache_dir=cache)
        s = out["summary"]
        print(f"RUW Russia val, model {model!r} (not trained on RUW): macro-F1 {_pct(s['macro_f1'])} "
              f"[{_pct(s['macro_f1_low'])}, {_pct(s['macro_f1_high'])}]  F_avg {_pct(s['f_avg_f1'])}  "
              f"(target found in {out['mentioned']:.0%} of tweets)")
