"""The notebooks in notebooks/: each runs top to bottom on a small sample, and is stored clean."""
from __future__ import annotations

import json
import os
import re

import nbformat
import pytest

from conftest import ROOT

NOTEBOOKS = ROOT / "notebooks"
NAMES = ["01_quickstart", "02_topics", "03_stance_validation", "04_compare_runs"]
#: Parameter overrides that keep each run small (injected after the "parameters" cell).
SMALL = {
    "01_quickstart": {"SAMPLE_SIZE": 4, "FIGURES": False},
    "02_topics": {"SAMPLE_SIZE": 4, "SWEEP_VALUES": [3, 4], "SEEDS": [42, 43]},
    "03_stance_validation": {"SAMPLE_SIZE": 4, "N_ANNOTATE": 10, "TRAIN_ROWS": 30},
    "04_compare_runs": {"SAMPLE_SIZE": 4, "FIGURES": False,
                        "SETTINGS": {"auto": {}, "mcs5": {"topics": {"hdbscan": {"min_cluster_size": 5}}}}},
}


def _load(name: str):
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def _parameters_index(book) -> int:
    tagged = [i for i, c in enumerate(book.cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell must be tagged 'parameters'"
    return tagged[0]


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_stored_clean_with_parameters(name):
    path = NOTEBOOKS / f"{name}.ipynb"
    book = _load(name)
    nbformat.validate(book)
    assert path.stat().st_size < 40_000
    for cell in book.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    params = book.cells[_parameters_index(book)].source
    assert "CORPUS" in params and "SAMPLE_SIZE" in params
    code = "\n".join(c.source for c in book.cells if c.cell_type == "code")
    assert "import analysis" in code
    assert not re.search(r"from analysis[\w.]* import [^\n]*\b_\w", code)  # no private names


@pytest.fixture(scope="module")
def kernel(cache_dir, tmp_path_factory):
    """One kernel for the notebooks of this worker: imports and JIT compilation are paid once.

    Each notebook starts with ``%reset -f``, so none can use another's variables.
    """
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(tmp_path_factory.mktemp("kernel")),
                    env={**os.environ, "ANALYSIS_CACHE_DIR": str(cache_dir)})
    yield km
    km.shutdown_kernel(now=True)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name, tmp_path, kernel):
    from nbclient import NotebookClient

    book = _load(name)
    overrides = {"OUTPUT": str(tmp_path / "out"), **SMALL[name]}
    lines = [f"{key} = {json.dumps(value) if not isinstance(value, bool) else value}"
             for key, value in overrides.items()]
    injected = nbformat.v4.new_code_cell("# injected parameters\n" + "\n".join(lines))
    book.cells.insert(_parameters_index(book) + 1, injected)
    book.cells.insert(0, nbformat.v4.new_code_cell("%reset -f"))
    client = NotebookClient(book, km=kernel, timeout=900)
    try:
        client.execute()  # raises CellExecutionError, naming the cell, if any cell fails
    finally:
        if client.kc is not None:
            client.kc.stop_channels()
    errors = [o for c in book.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert errors == []
    images = [o for c in book.cells if c.cell_type == "code" for o in c.outputs
              if "image/png" in o.get("data", {})]
    assert images, "the notebook shows at least one figure"
