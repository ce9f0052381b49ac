"""Topic stability in a run (``topics.stability_seeds``) and quiet topic stages."""
import numpy as np
import pandas as pd
import pytest

from analysis import schema
from analysis.config import Config, ConfigError, config_from_dict
from analysis.report.plan import figure_plan
from analysis.topics.stability import stability_tables


def _plan(tables: dict) -> dict:
    return {item.stem: item for item in figure_plan(tables, [])}


def test_run_writes_the_stability_tables(sample_run):
    assert Config().topics.stability_seeds == 3
    per_topic, pairs = sample_run.topic_stability, sample_run.topic_stability_pairs
    schema.check_columns(per_topic, schema.TOPIC_STABILITY, "topic_stability")
    schema.check_columns(pairs, schema.TOPIC_STABILITY_PAIRS, "topic_stability_pairs")
    for name in ("topic_stability", "topic_stability_pairs"):
        assert (sample_run.run_dir / "tables" / f"{name}.parquet").is_file()
        assert name in sample_run.manifest["tables"]
    seed = sample_run.manifest["seed"]
    assert pairs[["seed_a", "seed_b"]].values.tolist() == [[seed, seed + 1], [seed, seed + 2],
                                                           [seed + 1, seed + 2]]
    assert pairs["ari"].between(-1, 1).all() and pairs["nmi"].between(0, 1).all()
    # the first seed is the run's own fit: same topics, names and sizes as the run's tables
    topics = sample_run.topics[sample_run.topics["topic"] >= 0].set_index("topic")
    assert sorted(per_topic["topic"]) == sorted(topics.index)
    assert (per_topic.set_index("topic")["name"] == topics["name"]).all()
    assert per_topic["recurrence"].between(0, 1).all()
    assert "topic_stability" in sample_run.manifest["timings"]


def test_report_shows_the_stability_figure(sample_run):
    item = _plan(sample_run.tables)["topic_stability"]
    mean_ari = sample_run.topic_stability_pairs["ari"].mean()
    assert f"Mean pairwise adjusted Rand index of the assignments: {mean_ari:.2f}" in item.caption
    assert item.draw() is not None
    assert (sample_run.run_dir / "figures" / "topic_stability.png").is_file()
    html = sample_run.report_path.read_text(encoding="utf-8")
    assert "Stability of the topics" in html and "Mean pairwise ARI across 3 seeds" in html


def test_stability_off_gives_empty_tables_and_a_note():
    cfg = config_from_dict({"topics": {"stability_seeds": 0}})
    tables = stability_tables(None, cfg.topics, None, 42)  # off: nothing is fitted
    assert list(tables["topic_stability"].columns) == schema.TOPIC_STABILITY
    assert list(tables["topic_stability_pairs"].columns) == schema.TOPIC_STABILITY_PAIRS
    assert tables["topic_stability"].empty and tables["topic_stability_pairs"].empty
    item = _plan(tables)["topic_stability"]
    assert item.draw() is None
    assert item.missing.startswith("Topic stability not run (topics.stability_seeds = 0")


def test_one_seed_is_rejected():
    with pytest.raises(ConfigError, match="stability_seeds"):
        config_from_dict({"topics": {"stability_seeds": 1}})
    with pytest.raises(ConfigError, match="stability_seeds"):
        config_from_dict({"topics": {"stability_seeds": -2}})


def _separated_corpus(n: int = 60) -> tuple[pd.DataFrame, np.ndarray]:
    """Three well-separated groups of paragraphs with their own words and vectors."""
    rng = np.random.default_rng(0)
    words = [["rail", "corridor", "cargo", "transit", "container", "port", "freight"],
             ["election", "vote", "ballot", "parliament", "candidate", "campaign", "poll"],
             ["plane", "crash", "airline", "pilot", "runway", "flight", "airport"]]
    centres = rng.normal(size=(3, 16))
    rows, vectors = [], []
    for i in range(n):
        rows.append({"paragraph_id": f"a{i}:p0", "article_id": f"a{i}",
                     "text": " ".join(rng.choice(words[i % 3], 10))})
        v = centres[i % 3] + rng.normal(scale=0.05, size=16)
        vectors.append(v / np.linalg.norm(v))
    return pd.DataFrame(rows), np.array(vectors)


def test_stability_on_the_fitted_sample():
    from analysis.engine import InProcessEngine
    from analysis.topics.sampled import fit_topic_units

    paragraphs, vectors = _separated_corpus()
    cfg = config_from_dict({"topics": {"representation": [], "fit_sample": 40, "assign": "nearest",
                                       "stability_seeds": 3}})
    units = fit_topic_units(paragraphs, vectors, cfg.topics, None, 5, None, InProcessEngine())
    assert len(units.fitted.docs) == 40 and len(units.all.docs) == 60
    tables = stability_tables(units.fitted, cfg.topics, None, 5)
    per_topic, pairs = tables["topic_stability"], tables["topic_stability_pairs"]
    fitted = units.fitted.modeler.topics_
    assert sorted(per_topic["topic"]) == sorted(set(fitted.tolist()) - {-1})
    assert per_topic["size"].sum() == int((fitted != -1).sum())  # sizes count the sample only
    assert pairs["seed_a"].tolist() == [5, 5, 6] and pairs["seed_b"].tolist() == [6, 7, 7]
    assert pairs["ari"].min() > 0.9 and per_topic["kept"].all()


def test_hierarchy_prints_no_progress_bar_when_quiet(capfd):
    import bertopic._bertopic as bertopic_module
    from bertopic import BERTopic
    from bertopic.dimensionality import BaseDimensionalityReduction
    from sklearn.cluster import KMeans

    from analysis.topics.hierarchy import hierarchy_table

    paragraphs, vectors = _separated_corpus(30)
    model = BERTopic(umap_model=BaseDimensionalityReduction(), hdbscan_model=KMeans(3, n_init=1, random_state=0))
    model.fit(paragraphs["text"].tolist(), vectors)
    original = bertopic_module.tqdm
    capfd.readouterr()
    quiet = hierarchy_table(model, paragraphs["text"].tolist(), show_progress=False)
    err = capfd.readouterr().err
    assert len(quiet) == 2
    assert "it/s" not in err and "%|" not in err and err.strip() == ""
    assert bertopic_module.tqdm is original  # the switch is undone
    hierarchy_table(model, paragraphs["text"].tolist(), show_progress=True)
    assert "%|" in capfd.readouterr().err  # the bar is still there when progress is on
