"""config.toml takes the same settings as the TIX_* variables, by the same names in lower
case, and a key it does not know is refused with the closest right one."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tix.cli.app import app
from tix.config import Settings, load_settings
from tix.core.errors import Invalid

SAMPLES = {"str": ('"sample"', "sample"), "str | None": ('"sample"', "sample"),
           "int": ("7", 7), "bool": ("true", True), "Path": ('"/srv/tix"', Path("/srv/tix")),
           "Path | None": ('"/srv/tix"', Path("/srv/tix")),
           "tuple[int, ...]": ("[1, 2]", (1, 2)), "tuple[str, ...]": ('["a", "b"]', ("a", "b"))}


def load(tmp_path: Path, text: str, **variables: str) -> Settings:
    (tmp_path / "config.toml").write_text(text)
    return load_settings({"TIX_CONFIG_DIR": str(tmp_path), **variables})


def test_every_variable_has_its_key_in_the_file(tmp_path: Path):
    settable = [f for f in fields(Settings) if f.name != "config_dir"]  # the file's own dir
    text = "".join(f"{f.name} = {SAMPLES[str(f.type)][0]}\n" for f in settable)
    settings = load(tmp_path, text)
    for field in settable:
        assert getattr(settings, field.name) == SAMPLES[str(field.type)][1], field.name


def test_the_data_dir_in_the_file_moves_the_embedded_database(tmp_path: Path):
    settings = load(tmp_path, f'data_dir = "{tmp_path / "elsewhere"}"\n')
    assert settings.data_dir == tmp_path / "elsewhere"
    assert settings.database_url == f"sqlite:///{tmp_path / 'elsewhere' / 'tix.db'}"
    assert load(tmp_path, f'data_dir = "{tmp_path / "elsewhere"}"\n',
                TIX_DATA_DIR=str(tmp_path / "env")).data_dir == tmp_path / "env"


def test_an_empty_variable_unsets_the_file_value(tmp_path: Path):
    text = 'redis_url = "redis://from-file"\n'
    assert load(tmp_path, text, TIX_DATA_DIR=str(tmp_path)).redis_url == "redis://from-file"
    assert load(tmp_path, text, TIX_DATA_DIR=str(tmp_path), TIX_REDIS_URL="").redis_url is None


@pytest.mark.parametrize(("written", "meant"), [
    ("redis_ulr", "redis_url"), ("TIX_DATABASE_URL", "database_url"),
    ("database-url", "database_url"), ("DATABASE_URL", "database_url"),
    ("hold_minute", "hold_minutes")])
def test_an_unknown_key_is_refused_naming_the_closest(tmp_path: Path, written, meant):
    with pytest.raises(Invalid) as refused:
        load(tmp_path, f'{written} = "1"\n', TIX_DATA_DIR=str(tmp_path))
    assert refused.value.message == (f"{tmp_path / 'config.toml'}: unknown setting {written}; "
                                     f"did you mean {meant}?")


def test_a_key_like_none_is_refused_pointing_at_the_list(tmp_path: Path):
    with pytest.raises(Invalid, match=r"unknown setting colour \(README's Configuration"):
        load(tmp_path, 'colour = "blue"\n', TIX_DATA_DIR=str(tmp_path))


def test_wrong_values_in_the_file_name_the_key(tmp_path: Path):
    path = tmp_path / "config.toml"
    with pytest.raises(Invalid, match="config_dir cannot be set in the file it locates"):
        load(tmp_path, f'config_dir = "{tmp_path}"\n')
    with pytest.raises(Invalid, match=f"^{path}: database_url must be a string"):
        load(tmp_path, "database_url = 5\n")
    with pytest.raises(Invalid, match=f"^{path}: bcrypt_rounds must be a whole number$"):
        load(tmp_path, 'bcrypt_rounds = "many"\n')


def test_the_cli_refuses_an_unknown_key_with_exit_2_and_one_line(tmp_path: Path):
    (tmp_path / "config.toml").write_text('databse_url = "sqlite:///x.db"\n')
    result = CliRunner().invoke(app, ["whoami"], env={
        "TIX_CONFIG_DIR": str(tmp_path), "TIX_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"tix: {tmp_path / 'config.toml'}: unknown setting databse_url; "
        "did you mean database_url?"]
    assert result.stdout == ""
