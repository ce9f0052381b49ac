"""Config validation and output paths: clear errors, and nothing written outside the output root."""
from __future__ import annotations

import os

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import SAMPLE

from analysis.cli import app
from analysis.config import ConfigError, config_from_dict, load_config
from analysis.io import write_table
from analysis.runs import OutputError, output_root, stage_run_dir
from analysis.safety import UnsafePathError, inside


@pytest.mark.parametrize("data,expected", [
    ({"sed": 1}, "unknown key 'sed'; did you mean 'seed'?"),
    ({"topics": {"hdbscan": {"min_cluster_sise": 3}}},
     "unknown key 'topics.hdbscan.min_cluster_sise'; did you mean 'min_cluster_size'?"),
    ({"stance": {"targets": [{"name": "X", "aliases": ["x"], "patern": []}]}},
     "unknown key 'stance.targets.0.patern'; did you mean 'patterns'?"),
    ({"embed": {"batch_size": "big"}}, "embed.batch_size: Input should be a valid integer"),
    ({"corpus": {"max_chars": 0}}, "corpus.max_chars: Input should be greater than 0"),
    ({"report": {"figures": "maybe"}}, "report.figures: Input should be a valid boolean"),
])
def test_config_errors_name_the_key(data, expected):
    with pytest.raises(ConfigError) as err:
        config_from_dict(data)
    assert expected in str(err.value)


def test_config_file_that_is_not_text(tmp_path):
    path = tmp_path / "c.toml"
    path.write_bytes(b"seed = 1\n\xff\xfe\x00")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(path)
    result = CliRunner().invoke(app, ["config", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_yaml_config_cannot_construct_objects(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("seed: !!python/object/apply:os.system ['touch PWNED']\n")
    with pytest.raises(ConfigError, match="cannot parse"):
        load_config(path)
    assert not os.path.exists("PWNED")


@pytest.mark.parametrize("name", ["../escaped", "/tmp/escaped", "sub/../../escaped", "../../escaped"])
def test_table_names_cannot_leave_their_folder(tmp_path, name):
    with pytest.raises(UnsafePathError, match="outside"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "tables", name)
    assert not list(tmp_path.parent.glob("escaped*")) and not (tmp_path / "escaped.parquet").exists()


def test_symlink_inside_the_output_cannot_redirect_writes(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out" / "abcdef012345").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UnsafePathError):
        inside(tmp_path / "out", "abcdef012345", "report.html")
    with pytest.raises(UnsafePathError):
        stage_run_dir(tmp_path / "out", "../elsewhere")


def test_output_root_that_is_a_file_fails_before_any_work(tmp_path):
    from analysis import run_pipeline

    blocker = tmp_path / "reports"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError, match="is not a folder"):
        output_root(blocker)
    with pytest.raises(OutputError):
        run_pipeline(SAMPLE, None, blocker, cache_dir=tmp_path / "cache", show_progress=False)
    assert not (tmp_path / "cache").exists()  # it stopped before embedding anything
    result = CliRunner().invoke(app, ["run", "--output", str(blocker), "--cache-dir", str(tmp_path / "c"), "-q"])
    assert result.exit_code == 2 and "isnotafolder" in "".join(result.output.split())
