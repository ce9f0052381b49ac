"""No network at run time: hub model names fail fast and clearly, without a connection attempt.

Whole pipeline runs with every socket connection refused are in
``test_crash_resume.py``: a complete run and a killed one in fresh
processes (the model loads under the block; in a network namespace with no
interface where the system allows it) and two runs in the test process;
each asserts that no connection was even attempted.
"""
from __future__ import annotations

import socket

import pytest
from typer.testing import CliRunner

from conftest import SAMPLE

HUB_NAME = "sentence-transformers/all-MiniLM-L6-v2"


@pytest.fixture
def no_network(monkeypatch):
    """Every connection attempt fails at once; the attempts are recorded."""
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args[1:3])[:80])
        raise OSError("network access is disabled in this test")

    for owner, name in ((socket.socket, "connect"), (socket.socket, "connect_ex"),
                        (socket, "create_connection"), (socket, "getaddrinfo")):
        monkeypatch.setattr(owner, name, refuse)
    return attempts


def test_the_network_block_really_blocks(no_network):
    """Control for the harness used here and in test_crash_resume.py."""
    with pytest.raises(OSError, match="disabled"):
        socket.create_connection(("127.0.0.1", 9))
    with pytest.raises(OSError, match="disabled"):
        socket.getaddrinfo("huggingface.co", 443)
    assert len(no_network) == 2


def test_hub_model_name_is_a_clear_error_not_a_download(tmp_path, no_network):
    from analysis import run_pipeline
    from analysis.config import Config
    from analysis.embed import ModelNotFoundError

    cfg = Config.model_validate({"embed": {"model": HUB_NAME}})
    with pytest.raises(ModelNotFoundError, match="not found locally"):
        run_pipeline(SAMPLE, cfg, tmp_path / "out", cache_dir=tmp_path / "cache", show_progress=False)
    assert no_network == []  # it never even tried
    assert not [p for p in (tmp_path / "out").glob("*") if not p.name.startswith(".")]


def test_hub_model_name_on_the_command_line(tmp_path, no_network):
    from analysis.cli import app

    config = tmp_path / "hub.toml"
    config.write_text(f'[embed]\nmodel = "{HUB_NAME}"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["run", "--config", str(config), "--output", str(tmp_path / "out"),
                                      "--cache-dir", str(tmp_path / "cache"), "--quiet"])
    assert result.exit_code == 2
    assert "not found locally" in " ".join(result.output.split())
    assert "Traceback" not in result.output and no_network == []
