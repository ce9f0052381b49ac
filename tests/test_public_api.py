"""The public names resolve, and importing the package or the CLI loads no modelling library."""
from __future__ import annotations

import importlib
import subprocess
import sys

import pytest


@pytest.mark.parametrize("package", ["analysis", "analysis.topics", "analysis.stance"])
def test_every_public_name_resolves(package):
    module = importlib.import_module(package)
    missing = [name for name in module.__all__ if getattr(module, name, None) is None]
    assert not missing
    assert set(module.__all__) <= set(dir(module))


def test_importing_the_cli_loads_no_model_library():
    code = ("import sys, analysis, analysis.cli; "
            "print([m for m in ('torch', 'sentence_transformers', 'bertopic', 'umap', 'sklearn', 'scipy', "
            "'matplotlib') if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
