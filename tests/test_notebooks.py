"""The notebooks in notebooks/: each runs top to bottom on a small sample, writes nothing into the
repository, uses only the public API, and is stored clean."""
from __future__ import annotations

import ast
import importlib
import json
import os
import re

import nbformat
import pytest

from conftest import ROOT, SAMPLE

NOTEBOOKS = ROOT / "notebooks"
NAMES = ["01_quickstart", "02_topics", "03_stance_validation", "04_compare_runs", "05_slice_results"]
#: Parameter overrides that keep each run small (injected after the "parameters" cell).
SMALL = {
    "01_quickstart": {"SAMPLE_SIZE": 4, "FIGURES": False},
    "02_topics": {"SAMPLE_SIZE": 4, "SWEEP_VALUES": [3, 4], "SEEDS": [42, 43]},
    "03_stance_validation": {"SAMPLE_SIZE": 4, "N_ANNOTATE": 10, "TRAIN_ROWS": 30},
    "04_compare_runs": {"SAMPLE_SIZE": 4, "FIGURES": False,
                        "SETTINGS": {"auto": {}, "mcs5": {"topics": {"hdbscan": {"min_cluster_size": 5}}}}},
    "05_slice_results": {},  # CORPUS: the dated_corpus fixture
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


# ------------------------------------------------------------------ public API only
def _all_names(module: str) -> set[str]:
    """The ``__all__`` of a module (empty when it has none); importing the package loads no model."""
    return set(getattr(importlib.import_module(module), "__all__", ()))


def _public_faces() -> dict[str, set[str]]:
    """Module name -> public names, for ``analysis``, each subpackage and each module it exports."""
    package = ROOT / "analysis"
    faces = {"analysis": _all_names("analysis")}
    for init in sorted(package.glob("*/__init__.py")):
        faces[f"analysis.{init.parent.name}"] = _all_names(f"analysis.{init.parent.name}")
    for name in faces["analysis"]:
        if (package / f"{name}.py").is_file():  # a module exported whole, e.g. ``catalog``
            faces[f"analysis.{name}"] = _all_names(f"analysis.{name}")
    return faces


def _dotted(node: ast.AST) -> list[str] | None:
    """``a.b.c`` as ``["a", "b", "c"]``; None when the chain does not start at a name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return [node.id, *reversed(parts)] if isinstance(node, ast.Name) else None


def _bind_imports(tree: ast.AST, faces: dict[str, set[str]], problems: set[str]) -> dict[str, str]:
    """Names bound to a public face by the imports of ``tree``; non-public imports go to ``problems``."""
    bound = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] != "analysis":
                    continue
                if alias.name not in faces:
                    problems.add(f"import {alias.name}")
                bound[alias.asname or "analysis"] = alias.name if alias.asname else "analysis"
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "analysis":
            if node.module not in faces:
                problems.add(f"from {node.module} import ...")
                continue
            for alias in node.names:
                if f"{node.module}.{alias.name}" in faces:
                    bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                elif alias.name not in faces[node.module]:
                    problems.add(f"from {node.module} import {alias.name}")
    return bound


def non_public_uses(source: str, faces: dict[str, set[str]]) -> set[str]:
    """Imports and attribute chains (``analysis.report.figures``) that reach past a public face."""
    from IPython.core.inputtransformer2 import TransformerManager

    tree = ast.parse(TransformerManager().transform_cell(source))
    problems: set[str] = set()
    bound = _bind_imports(tree, faces, problems)
    for node in ast.walk(tree):
        chain = _dotted(node) if isinstance(node, ast.Attribute) else None
        if not chain or chain[0] not in bound:
            continue
        module = bound[chain[0]]
        for attr in chain[1:]:
            if f"{module}.{attr}" in faces:
                module = f"{module}.{attr}"
                continue
            if attr not in faces[module]:
                problems.add(f"{module}.{attr}")
            break
    return problems


def test_public_api_check_catches_internals():
    faces = _public_faces()
    bad = ("from analysis.paths import DEFAULT_CORPUS\n"
           "from analysis.report import figures_map\n"
           "import analysis.report.figures\n"
           "from analysis.stance import _private\n"
           "import analysis\n"
           "analysis.report.figures_groups.stance_by_run(None)\n"
           "analysis.runs.load_run('x')\n")
    assert non_public_uses(bad, faces) == {
        "from analysis.paths import ...", "from analysis.report import figures_map",
        "import analysis.report.figures", "from analysis.stance import _private",
        "analysis.report.figures_groups", "analysis.runs"}
    good = ("%matplotlib inline\nimport analysis\nfrom analysis import report, catalog\n"
            "from analysis.topics import topic_stability as stab\nimport analysis.eval as ev\n"
            "analysis.load_run('x').tables\nreport.topic_sizes(None)\nanalysis.report.stance_by_run(None)\n"
            "catalog.query('db', 'SELECT 1')\nev.sweep\n")
    assert non_public_uses(good, faces) == set()


@pytest.mark.parametrize("name", NAMES)
def test_notebook_uses_only_the_public_api(name):
    faces = _public_faces()
    code = "\n".join(c.source for c in _load(name).cells if c.cell_type == "code")
    assert non_public_uses(code, faces) == set()


# ------------------------------------------------------------------ execution
def _repo_entries() -> set[str]:
    """Top-level entries of the repository and every file below the folders a notebook could write to."""
    found = {p.name for p in ROOT.iterdir() if not p.name.startswith(".")}
    for folder in ("notebooks", "reports", "data"):
        found |= {str(p.relative_to(ROOT)) for p in (ROOT / folder).rglob("*")}
    return found


@pytest.fixture(scope="module")
def dated_corpus(tmp_path_factory):
    """Test-only input for the slicing notebook: four articles of the bundled sample (the four that
    the other notebooks sample, so their embeddings are cached) with made-up outlets and dates."""
    import analysis

    articles = analysis.load_corpus(SAMPLE).articles.sample(n=4, random_state=42).sort_index()
    path = tmp_path_factory.mktemp("dated") / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for i, (title, text) in enumerate(zip(articles["title"], articles["text"])):
            record = {"title": title, "text": text, "source": f"Outlet {'AB'[i % 2]}",
                      "published": f"2024-{1 + i:02d}-15"}
            fh.write(json.dumps(record) + "\n")
    return path


@pytest.fixture(scope="module")
def kernel(cache_dir, tmp_path_factory):
    """One kernel for the notebooks of this worker: imports and JIT compilation are paid once.

    Each notebook starts with ``%reset -f``, so none can use another's variables. The kernel works
    in notebooks/ as it does under JupyterLab, so a relative output path would land in the
    repository; temporary folders go to a test folder.
    """
    from jupyter_client.manager import KernelManager

    env = {key: value for key, value in os.environ.items() if key != "ANALYSIS_OUTPUT_DIR"}
    env.update(ANALYSIS_CACHE_DIR=str(cache_dir), TMPDIR=str(tmp_path_factory.mktemp("kernel-tmp")))
    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(NOTEBOOKS), env=env)
    yield km
    km.shutdown_kernel(now=True)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name, kernel, dated_corpus):
    from nbclient import NotebookClient

    book = _load(name)
    overrides = dict(SMALL[name])  # OUTPUT is left to its default: a temporary folder
    if name == "05_slice_results":
        overrides["CORPUS"] = str(dated_corpus)
    lines = [f"{key} = {json.dumps(value) if not isinstance(value, bool) else value}"
             for key, value in overrides.items()]
    injected = nbformat.v4.new_code_cell("# injected parameters\n" + "\n".join(lines))
    book.cells.insert(_parameters_index(book) + 1, injected)
    book.cells.insert(0, nbformat.v4.new_code_cell("%reset -f"))
    before = _repo_entries()
    client = NotebookClient(book, km=kernel, timeout=900)
    try:
        client.execute()  # raises CellExecutionError, naming the cell, if any cell fails
    finally:
        if client.kc is not None:
            client.kc.stop_channels()
    assert _repo_entries() - before == set(), "the notebook wrote into the repository"
    outputs = [o for c in book.cells if c.cell_type == "code" for o in c.outputs]
    assert [o for o in outputs if o.output_type == "error"] == []
    stderr = "".join(o.get("text", "") for o in outputs if o.get("name") == "stderr")
    assert "IProgress" not in stderr and "ipywidgets" not in stderr  # tqdm finds its widgets
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert images, "the notebook shows at least one figure"
    if name == "05_slice_results":
        assert len(images) >= 7  # topics, outlets, periods and the own slice all drawn
        assert any("analysis-run" in o.get("data", {}).get("text/html", "") for o in outputs)
