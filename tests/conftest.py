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
