"""The command line calls the same API: run, rerun, config, and clear errors."""
import json

from typer.testing import CliRunner

from analysis.cli import app

from conftest import SAMPLE

runner = CliRunner()


def test_run_then_rerun_reports_identical(tmp_path, cache_dir):
    out = tmp_path / "reports"
    result = runner.invoke(app, ["run", "--corpus", str(SAMPLE), "--output", str(out),
                                 "--cache-dir", str(cache_dir), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "report:" in result.stdout
    run_dirs = [p for p in out.iterdir() if (p / "manifest.json").is_file()]
    assert len(run_dirs) == 1 and (run_dirs[0] / "report.html").is_file()
    manifest = json.loads((run_dirs[0] / "manifest.json").read_text())
    assert manifest["corpus"]["paths"] == [str(SAMPLE)]
    again = runner.invoke(app, ["rerun", str(run_dirs[0]), "--output", str(tmp_path / "again"),
                                "--cache-dir", str(cache_dir)])
    assert again.exit_code == 0, again.output
    assert "identical" in again.stdout


def test_missing_corpus_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["run", "--corpus", str(tmp_path / "nope.jsonl"), "--output", str(tmp_path)])
    assert result.exit_code == 2
    assert "nope.jsonl" in result.output


def test_bad_config_key_is_a_clear_error(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[stance]\nscorrer = 'x'\n")
    result = runner.invoke(app, ["run", "--config", str(cfg), "--output", str(tmp_path)])
    assert result.exit_code == 2
    assert "did you mean 'scorer'" in result.output


def test_config_command_prints_complete_toml():
    result = runner.invoke(app, ["config"])
    assert result.exit_code == 0
    assert "[topics.hdbscan]" in result.stdout and "seed = 42" in result.stdout


def test_rejects_are_written_with_reasons(tmp_path, cache_dir):
    lines = [json.dumps({"title": f"T{i}", "text": f"Moscow and Brussels disagree about the corridor, case {i}. "
                         "The Middle Corridor bypasses Russia through the Caspian Sea."}) for i in range(7)]
    lines.insert(3, '{"title": "broken", "text": ')
    lines.append(json.dumps({"title": "empty", "text": "   "}))
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = runner.invoke(app, ["run", "--corpus", str(path), "--output", str(tmp_path / "r"),
                                 "--cache-dir", str(cache_dir), "--quiet"])
    assert result.exit_code == 0, result.output
    run_dir = next(p for p in (tmp_path / "r").iterdir() if (p / "manifest.json").is_file())
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["counts"]["records"] == 9 == manifest["counts"]["accepted"] + manifest["counts"]["rejected"]
    rejects = (run_dir / "tables" / "rejects.csv").read_text()
    assert "line 4" in rejects and "line 9" in rejects


def test_commands_leave_the_object_graph_to_the_os_at_exit():
    """After a command, interpreter shutdown skips the garbage collector's walk over every object."""
    import subprocess
    import sys

    probe = ("import atexit, gc, sys\n"
             "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0, flush=True))\n"
             "import analysis.cli\n"
             "print('frozen', gc.get_freeze_count() > 0, flush=True)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["frozen", "False", "frozen", "True"]
