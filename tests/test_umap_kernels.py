"""UMAP's compiled kernels are kept on disk: a later process loads them and maps to the same points."""
from __future__ import annotations

import json
import os
import subprocess
import sys

CODE = """
import json, numpy as np
from analysis.report.map_layout import ParagraphMapper
from analysis.topics.umap_kernels import enable_kernel_cache
X = np.random.default_rng(0).normal(size=(60, 32)).astype(np.float32)
rows, coords = ParagraphMapper(n_neighbors=10, max_points=None, random_state=7).fit_transform(X)
print(json.dumps({"coords": coords.tolist(), "kernels": enable_kernel_cache()}))
"""


def _map_in_new_process(cache_dir) -> dict:
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache_dir)}
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, env=env, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_kernels_are_cached_and_results_unchanged(tmp_path):
    first = _map_in_new_process(tmp_path)  # compiles and writes the kernels
    written = sorted(p.name for p in tmp_path.rglob("*.nbc"))
    assert first["kernels"] > 50 and any(p.name.startswith("umap") for p in tmp_path.iterdir())
    assert written
    second = _map_in_new_process(tmp_path)  # loads them
    assert second["coords"] == first["coords"]
    assert sorted(p.name for p in tmp_path.rglob("*.nbc")) == written  # nothing compiled anew
