"""``analysis stance``: train, evaluate, benchmark and rebuild stance models."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from analysis.config import ConfigError, load_config
from analysis.eval import stance as benchmarks
from analysis.eval.stance_evaluate import evaluate_annotations, label_shares_on_ukraine_news_bias
from analysis.eval.validation_report import write_validation_report
from analysis.paths import default_cache_dir
from analysis.stance.annotations import AnnotationError
from analysis.stance.crossencoder import (
    CROSSENCODER_MODEL_DIR, Config, build_crossencoder_default, train_crossencoder,
)
from analysis.stance.modelio import FAST_MODEL_DIR, ModelFormatError, model_digest
from analysis.stance.train import DEFAULT_ANNOTATIONS, train_model
from analysis.stance.train import build_fast_default
from analysis.stance.validation import summary as validation_summary
from analysis.cli.options import fail as _fail

app = typer.Typer(help="Train, evaluate and benchmark stance scorers.", no_args_is_help=True)
console = Console(stderr=True, soft_wrap=True)


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


def _print_crossencoder(result) -> None:
    info = result.info
    rows = info["training"]["rows"]
    print(f"model: {result.model_dir}")
    print(f"rows used: {rows['train']} training + {rows['calibration']} calibration "
          f"(of {rows['total']}); temperature {info['temperature']:.3f}; {result.seconds} s")
    companion = info.get("companion")
    print("n-gram companion: " + (f"{len(companion['models'])} model(s) (per target with 50+ rows, "
                                   f"one pooled), stacked with weight {companion['weight']:.3f}"
                                   if companion else "off"))
    for vset in info["validation"]:
        m = vset["summary"]
        print(f"{vset['name']} (n={m['n']}): macro-F1 {_pct(m['macro_f1'])} "
              f"[{_pct(m['macro_f1_low'])}, {_pct(m['macro_f1_high'])}]  F_avg {_pct(m['f_avg_f1'])}  "
              f"accuracy {_pct(m['accuracy'])}  ECE {m['ece']:.3f} (T=1: {vset['ece_t1']:.3f})"
              + (f"  ({len(vset['not_found'])} rows without a found mention left out)"
                 if vset["not_found"] else ""))
    print(f"digest: {info['digest']}")


def _recipe(pairs: list[str] | None) -> Config:
    """The recipe defaults with ``key=value`` overrides (a malformed one ends the command with an error)."""
    fields = Config.__dataclass_fields__
    values = {}
    for pair in pairs or []:
        key, sep, raw = pair.partition("=")
        if not sep or key not in fields:
            _fail(f"--set {pair!r}: expected key=value with key one of {sorted(fields)}")
        kind = type(getattr(Config(), key))
        try:
            values[key] = (raw.lower() in ("1", "true", "yes")) if kind is bool else kind(raw)
        except ValueError:
            _fail(f"--set {pair!r}: {key} takes a {kind.__name__}")
    return Config(**values)


@app.command()
def train(annotations: Path = typer.Argument(..., help="Annotations CSV (text, target, label[, split, start, end]) or NewsMTSC-style JSONL."),
          out: Path = typer.Option(..., "--out", "-o", help="Model directory to write."),
          fast: bool = typer.Option(False, "--fast", help="Train the fast learner (stance.learner.v1) instead of the cross-encoder."),
          pair: bool = typer.Option(False, "--pair", help="Rows whose target is not found in their text are read as 'target [SEP] text' instead of being an error (cross-encoder)."),
          recipe: Optional[list[str]] = typer.Option(None, "--set", help="Cross-encoder recipe override key=value (repeatable), e.g. --set epochs=1."),
          config: Optional[Path] = typer.Option(None, "--config", help="Config whose stance.targets (and, with --fast, its stance.train settings) are used."),
          seed: Optional[int] = typer.Option(None, "--seed", help="Default: the recipe's seed (cross-encoder) or the config's seed (--fast)."),
          cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Embedding cache folder (--fast).")) -> None:
    """Train a stance model on annotations and write a model directory (default: the cross-encoder)."""
    try:
        cfg = load_config(config)
        targets = [t.model_dump() for t in cfg.stance.targets]
        if fast and pair:
            raise ValueError("--pair is a cross-encoder option; the fast learner needs a found mention")
        if fast:
            result = train_model(annotations, out, cfg.stance.train, targets=targets,
                                 cache_dir=str(cache_dir or default_cache_dir()),
                                 seed=cfg.seed if seed is None else seed)
        else:
            ce = _recipe(recipe)
            ce = ce if seed is None else Config(**{**ce.to_dict(), "seed": seed})
            result = train_crossencoder(annotations, out, ce, targets=targets, pair=pair,
                                        log=console.print, progress=True)
    except (ConfigError, AnnotationError, ValueError, FileNotFoundError) as err:
        _fail(str(err))
    (_print_train if fast else _print_crossencoder)(result)


@app.command("build-default")
def build_default(out: Optional[Path] = typer.Option(None, "--out", "-o", help="Default: the package's models/newsmtsc-minilm (with --fast: models/fast)."),
                  fast: bool = typer.Option(False, "--fast", help="Rebuild the fast learner (models/fast, from the generated annotations) instead."),
                  annotations: Optional[Path] = typer.Option(None, "--annotations", help="Default: data/annotations/newsmtsc/train.jsonl (with --fast: data/annotations/stance_annotations.csv)."),
                  check: bool = typer.Option(False, "--check", help="Rebuild into a temporary folder and compare with the shipped model (exit 1 if different).")) -> None:
    """Rebuild a shipped model from the shipped annotations (deterministic on one machine)."""
    shipped_dir = out or (FAST_MODEL_DIR if fast else CROSSENCODER_MODEL_DIR)
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "model" if check else shipped_dir
        try:
            if fast:
                result = build_fast_default(target, annotations or DEFAULT_ANNOTATIONS)
            else:
                result = build_crossencoder_default(target, annotations, log=console.print,
                                                    progress=True)
        except (AnnotationError, ValueError, FileNotFoundError) as err:
            _fail(str(err))
        (_print_train if fast else _print_crossencoder)(result)
        if check:
            shipped = model_digest(shipped_dir)
            same = shipped == result.info["digest"]
            print(f"shipped model digest {shipped}: {'identical' if same else 'DIFFERENT'}")
            if not same:
                raise typer.Exit(code=1)


@app.command()
def evaluate(gold: Path = typer.Option(..., "--gold", help="Annotations CSV with gold labels (label_2: second annotator)."),
             model: str = typer.Option("default", "--model", help="Model directory, 'default' (the scorer's shipped model), 'fast', or 'static' (stance.learner.v1, trained at first use with the config's [stance.train])."),
             scorer: str = typer.Option("stance.crossencoder.v1", "--scorer", help="Registered scorer name."),
             split: str = typer.Option("test", "--split", help="Rows of this split ('all' = every row)."),
             out: Optional[Path] = typer.Option(None, "--out", "-o", help="Report folder (default: validation/<file stem>)."),
             config: Optional[Path] = typer.Option(None, "--config", help="Config whose stance.targets find the mentions."),
             cache_dir: Optional[Path] = typer.Option(None, "--cache-dir")) -> None:
    """Measure a scorer against gold labels and write a validation report."""
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
    s = validation_summary(tables)
    print(f"{s['n']} items: macro-F1 {_pct(s['macro_f1'])} [{_pct(s['macro_f1_low'])}, "
          f"{_pct(s['macro_f1_high'])}]  F_avg {_pct(s['f_avg_f1'])} [{_pct(s['f_avg_f1_low'])}, "
          f"{_pct(s['f_avg_f1_high'])}]  accuracy {_pct(s['accuracy'])}"
          + (f"  ECE {s['ece']:.3f}" if "ece" in s else ""))
    if "agreement" in tables:
        a = tables["agreement"].set_index("measure")["value"]
        print(f"annotators: kappa {a['cohen_kappa']:.3f}  alpha {a['krippendorff_alpha']:.3f}")
    print(f"report: {report}")


@app.command()
def benchmark(name: str = typer.Argument(..., help="semeval, ruw, pstance, ruw-default, pstance-default, newsmtsc, ukraine-news (label shares on real news beside the crowd's), or unseen-targets (leave-one-target-out on an annotations CSV)"),
              data: Path = typer.Option(..., "--data", help="The benchmark's folder (e.g. ../shared/eval/semeval2016_task6, ../shared/eval/newsmtsc) or, for unseen-targets, an annotations CSV."),
              out: Optional[Path] = typer.Option(None, "--out", "-o", help="newsmtsc, semeval, ruw, pstance: where to keep the trained model(s) (default: a temporary folder)."),
              test: Optional[Path] = typer.Option(None, "--test", help="SemEval Task A gold test file, if you have it."),
              model: str = typer.Option("default", "--model", help="For ruw-default, pstance-default and ukraine-news: the model to score (default = the shipped cross-encoder, fast, static, or a directory)."),
              fast: bool = typer.Option(False, "--fast", help="semeval, ruw: the fast learner's grid protocol instead of the cross-encoder recipe."),
              seeds: int = typer.Option(1, "--seeds", help="semeval, ruw, pstance (cross-encoder): train this many seeds (--seed, --seed + 1, ...); mean and sd are printed."),
              dev: bool = typer.Option(False, "--dev", help="semeval, ruw, pstance (cross-encoder): train on a seeded 80% of train and score the other 20% (for recipe choices) instead of val."),
              recipe: Optional[list[str]] = typer.Option(None, "--set", help="semeval, ruw, pstance, newsmtsc (cross-encoder): recipe override key=value (repeatable)."),
              backend: str = typer.Option("transformer", "--backend", help="Features of the trained learners (--fast, unseen-targets): transformer or static (distilled from the same model)."),
              cache_dir: Optional[Path] = typer.Option(None, "--cache-dir"),
              seed: int = typer.Option(0, "--seed")) -> None:
    """Reproduce a public benchmark figure (skips cleanly when the data is absent)."""
    if name not in ("semeval", "ruw", "pstance", "ruw-default", "pstance-default", "newsmtsc",
                    "ukraine-news", "unseen-targets"):
        _fail(f"unknown benchmark {name!r}; choose semeval, ruw, pstance, ruw-default, "
              f"pstance-default, newsmtsc, ukraine-news or unseen-targets")
    if not data.exists():
        print(f"skipped: benchmark data not found at {data}")
        raise typer.Exit(code=0)
    if name == "ukraine-news":
        _ukraine_news(data, model)
        return
    if name == "newsmtsc":
        _newsmtsc(data, out, _recipe(recipe))
        return
    if backend not in ("transformer", "static"):
        _fail(f"unknown backend {backend!r}; choose transformer or static")
    if name == "pstance" and fast:
        _fail("pstance has the cross-encoder protocol only (no --fast)")
    if name in ("semeval", "ruw", "pstance") and not fast:
        _crossencoder_benchmark(name, data, out, _recipe(recipe), list(range(seed, seed + seeds)), dev, test)
        return
    cache = str(cache_dir or default_cache_dir())
    grid = benchmarks.with_backend(benchmarks.GRID, backend)
    if name == "semeval":
        out = benchmarks.semeval_benchmark(data, test, grid, cache_dir=cache, seed=seed)
        print(f"SemEval-2016 Task 6 (fast learner), TweetEval val F_avg (selected setting): "
              f"{_pct(out['val_f_avg'])}  {out['best']}")
        if "test" in out:
            m = out["test"].set_index("label")
            print(f"Task A test F_avg: {_pct(m.loc['f_avg', 'f1'])} "
                  f"[{_pct(m.loc['f_avg', 'f1_low'])}, {_pct(m.loc['f_avg', 'f1_high'])}]")
    elif name == "ruw":
        out = benchmarks.ruw_benchmark(data, grid, cache_dir=cache, seed=seed)
        print(f"RUW Russia (fast learner), val macro-F1 (selected setting): {_pct(out['val_macro_f1'])}  "
              f"F_avg {_pct(out['val_f_avg'])}  {out['best']}")
    elif name == "unseen-targets":
        table = benchmarks.unseen_targets(data, cache_dir=cache, seed=seed, backend=backend)
        for row in table.itertuples(index=False):
            print(f"{row.target:<20} n={row.n:<4} macro-F1 {_pct(row.macro_f1)}  F_avg {_pct(row.f_avg)}")
        print(f"mean over targets: macro-F1 {_pct(table['macro_f1'].mean())}  F_avg {_pct(table['f_avg'].mean())}")
    else:
        _out_of_box(data, model, cache, "pstance" if name == "pstance-default" else "ruw")


def _out_of_box(data: Path, model: str, cache: str, dataset: str) -> None:
    """A saved model (never trained on the data) on RUW val (target Russia) or P-Stance val."""
    try:
        out = benchmarks.out_of_box(data, model, cache_dir=cache, dataset=dataset)
    except (ModelFormatError, ValueError, FileNotFoundError) as err:
        _fail(str(err))
    s, n = out["summary"], out["summary_neutral"]
    title = ("P-Stance val (favor / against gold; F_avg is the figure)" if dataset == "pstance"
             else "RUW Russia val")
    print(f"{title}, model {model!r} (not trained on it): macro-F1 {_pct(s['macro_f1'])} "
          f"[{_pct(s['macro_f1_low'])}, {_pct(s['macro_f1_high'])}]  F_avg {_pct(s['f_avg_f1'])}  "
          f"(target found in {out['mentioned']:.1%} of tweets; with the others predicted neutral: "
          f"macro-F1 {_pct(n['macro_f1'])}, F_avg {_pct(n['f_avg_f1'])})")


def _ukraine_news(data: Path, model: str) -> None:
    """Shares of favour / against / neutral among real news sentences naming each target, beside the crowd's."""
    try:
        table = label_shares_on_ukraine_news_bias(data, model)
    except (ModelFormatError, ValueError, FileNotFoundError) as err:
        _fail(str(err))
    print(f"ukraine_news_bias (real news, crowd framing labels, 'intensified' rule), model {model!r}: "
          f"shares among the sentences that name the target")
    for r in table.itertuples(index=False):
        print(f"{r.target:<10} n={r.n_mentioned:<4} predicted favour {r.pred_favor:.3f} against "
              f"{r.pred_against:.3f} neutral {r.pred_neutral:.3f}; crowd favour {r.gold_favor:.3f} "
              f"against {r.gold_against:.3f} neutral {r.gold_neutral:.3f}")


def _crossencoder_benchmark(name: str, data: Path, out: Optional[Path], cfg: Config,
                            seeds: list[int], dev: bool, test: Optional[Path]) -> None:
    """SemEval or RUW with the cross-encoder recipe: one line per split and seed, then mean ± sd."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = out or Path(tmp)
        try:
            if name == "semeval":
                table = benchmarks.semeval_crossencoder(data, folder, cfg, seeds, dev, test,
                                                        log=console.print)
            elif name == "pstance":
                table = benchmarks.pstance_crossencoder(data, folder, cfg, seeds, dev, log=console.print)
            else:
                table = benchmarks.ruw_crossencoder(data, folder, cfg, seeds, dev, log=console.print)
        except (AnnotationError, ValueError, FileNotFoundError) as err:
            _fail(str(err))
    label = {"semeval": "SemEval-2016 Task A", "pstance": "P-Stance (favor / against only)"}.get(
        name, "RUW, target Russia")
    kind = "DEV figures (seeded 20% of train)" if dev else "validation-split figures"
    print(f"{label}, cross-encoder recipe (defaults{'' if cfg == Config() else ' + --set'}), "
          f"{kind}; seeds {seeds}:")
    for r in table.itertuples(index=False):
        print(f"{r.split:<20} seed {r.seed}  n={r.n:<4} F_avg {_pct(r.f_avg)}  macro-F1 "
              f"{_pct(r.macro_f1)}  accuracy {_pct(r.accuracy)}  pair input {r.pair_share:.0%}  "
              f"training {r.seconds} s")
    for split, rows in table.groupby("split", sort=False):
        sd = (lambda col: f" ± {_pct(rows[col].std(ddof=1))}" if len(rows) > 1 else "")
        print(f"{split}: mean over {len(rows)} seed(s): F_avg {_pct(rows['f_avg'].mean())}{sd('f_avg')}  "
              f"macro-F1 {_pct(rows['macro_f1'].mean())}{sd('macro_f1')}")


def _newsmtsc(data: Path, out: Optional[Path], cfg: Config) -> None:
    """Train the cross-encoder recipe on NewsMTSC train; print the dev_rw and dev_mt figures."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            table, info = benchmarks.newsmtsc_benchmark(data, out or Path(tmp) / "model", cfg,
                                                        log=console.print)
        except (AnnotationError, ValueError, FileNotFoundError) as err:
            _fail(str(err))
    rows = info["training"]["rows"]
    print(f"NewsMTSC: trained on {rows['train']} rows (+ {rows['calibration']} calibration rows) "
          f"in {info['seconds']} s; DEV figures (the test splits are held back; the recipe was "
          f"selected on dev_rw):")
    for r in table.itertuples(index=False):
        print(f"{r.split:<28} n={r.n:<4} macro-F1 {_pct(r.macro_f1)}  F_avg {_pct(r.f_avg)}  "
              f"accuracy {_pct(r.accuracy)}  ECE {r.ece:.3f} (T=1: {r.ece_t1:.3f})  favor {r.pred_favor:.2f} "
              f"(gold {r.gold_favor:.2f})  against {r.pred_against:.2f} (gold {r.gold_against:.2f})")
