"""Reading a run's config back from its manifest: defaults come from the config model."""
import pytest

from analysis.config import Config, ConfigError
from analysis.manifest import config_of


def _manifest(**changes) -> dict:
    config = Config().to_dict()
    for dotted, value in changes.items():
        *path, key = dotted.split("__")
        node = config
        for part in path:
            node = node[part]
        if value is None:
            node.pop(key)
        else:
            node[key] = value
    return {"config": config}


def test_settings_a_manifest_predates_get_model_defaults():
    manifest = _manifest(stance__min_articles=None, stance__n_bootstrap=None)
    cfg = config_of(manifest)
    assert cfg.stance.min_articles == Config().stance.min_articles
    assert cfg.stance.n_bootstrap == Config().stance.n_bootstrap


def test_unknown_settings_raise_unless_read_for_display():
    manifest = _manifest(corpus__note="gone", stance__n_bootstrap=200)
    with pytest.raises(ConfigError, match="corpus.note"):
        config_of(manifest)
    assert config_of(manifest, strict=False).stance.n_bootstrap == 200


def test_display_read_of_a_manifest_without_config_gives_defaults():
    assert config_of({}, strict=False) == Config()
    with pytest.raises(KeyError):
        config_of({})
