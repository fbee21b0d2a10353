from pathlib import Path

import pytest

from tix.config import load_settings
from tix.core.errors import Invalid


def test_defaults_put_everything_in_the_data_dir(tmp_path: Path):
    settings = load_settings({"TIX_DATA_DIR": str(tmp_path / "d"),
                              "TIX_CONFIG_DIR": str(tmp_path / "c")})
    assert settings.database_url == f"sqlite:///{tmp_path / 'd' / 'tix.db'}"
    assert settings.mail_dir == tmp_path / "d" / "mail"
    assert settings.credentials_path == tmp_path / "c" / "credentials.json"
    assert settings.redis_url is None and settings.smtp_url is None


def test_the_environment_overrides_the_config_file(tmp_path: Path):
    (tmp_path / "config.toml").write_text(
        'redis_url = "redis://file"\npublic_url = "https://from.file"\nbcrypt_rounds = 10\n')
    settings = load_settings({"TIX_CONFIG_DIR": str(tmp_path), "TIX_DATA_DIR": str(tmp_path),
                              "TIX_REDIS_URL": "redis://env", "TIX_BCRYPT_ROUNDS": "5"})
    assert settings.redis_url == "redis://env"
    assert settings.public_url == "https://from.file"
    assert settings.bcrypt_rounds == 5


def test_unknown_settings_and_bad_numbers_are_clear_errors(tmp_path: Path):
    (tmp_path / "config.toml").write_text('redis_ulr = "typo"\n')
    with pytest.raises(Invalid, match=r"unknown setting.*redis_ulr"):
        load_settings({"TIX_CONFIG_DIR": str(tmp_path), "TIX_DATA_DIR": str(tmp_path)})
    with pytest.raises(Invalid, match="whole number"):
        load_settings({"TIX_CONFIG_DIR": str(tmp_path / "none"), "TIX_DATA_DIR": str(tmp_path),
                       "TIX_BCRYPT_ROUNDS": "many"})


def test_an_empty_variable_means_not_set(tmp_path: Path):
    settings = load_settings({"TIX_CONFIG_DIR": str(tmp_path), "TIX_DATA_DIR": str(tmp_path),
                              "TIX_REDIS_URL": ""})
    assert settings.redis_url is None


def test_production_refuses_development_secrets(tmp_path: Path):
    from tix.bootstrap import Runtime

    base = {"TIX_CONFIG_DIR": str(tmp_path), "TIX_DATA_DIR": str(tmp_path),
            "TIX_ENV": "production"}
    with pytest.raises(Invalid, match="TIX_SECRET_KEY must be set"):
        Runtime(load_settings(base))
    with pytest.raises(Invalid, match="at least 32"):
        Runtime(load_settings(base | {"TIX_SECRET_KEY": "short"}))
    with pytest.raises(Invalid, match="TIX_ENCRYPTION_KEY"):
        Runtime(load_settings(base | {"TIX_SECRET_KEY": "s" * 40}))
    Runtime(load_settings(base | {"TIX_SECRET_KEY": "s" * 40,
                                  "TIX_ENCRYPTION_KEY": "k1:" + "A" * 43 + "="}))


def test_the_pool_size_is_a_whole_number_in_range(tmp_path: Path):
    base = {"TIX_CONFIG_DIR": str(tmp_path), "TIX_DATA_DIR": str(tmp_path)}
    assert load_settings({**base, "TIX_DATABASE_POOL_SIZE": "3"}).database_pool_size == 3
    for bad in ("0", "-2", "5000"):
        with pytest.raises(Invalid, match="TIX_DATABASE_POOL_SIZE must be between 1 and 1000"):
            load_settings({**base, "TIX_DATABASE_POOL_SIZE": bad})
