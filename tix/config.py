"""Settings from TIX_* environment variables and an optional config.toml.

Precedence: environment, then `config.toml` in the config dir, then defaults. Cheap to
import: `tix --help` loads this and nothing heavier.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from tix.core.errors import Invalid

APP_NAME = "tix"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    config_dir: Path
    database_url: str
    database_replica_url: str | None = None  # read views (search) go there when set
    # Connections per process and database: this many kept, twice as many more at peaks.
    database_pool_size: int = 5
    redis_url: str | None = None
    smtp_url: str | None = None
    stripe_api_key: str | None = None
    stripe_api_base: str | None = None
    stripe_webhook_secret: str | None = None  # verifies /webhooks/stripe (whsec_…)
    log_format: str = "text"  # or "json": one JSON object per line
    queue_url: str | None = None
    secret_key: str | None = None
    previous_secret_keys: tuple[str, ...] = ()
    encryption_key: str | None = None
    ticket_signing_key: str | None = None
    public_url: str = "http://localhost:8000"
    mail_from: str = "tix <tickets@tix.localhost>"
    template_dir: Path | None = None
    env: str = "development"
    bcrypt_rounds: int = 12
    hold_minutes: int = 10
    holds_per_minute: int = 20  # per user: holding blocks seats for everyone else
    checkins_per_second: int = 10  # per clerk: a scanner at a busy door does one or two
    mail_retry_delays: tuple[int, ...] = (60, 300, 1500)  # seconds before retries 1, 2, 3
    debug: bool = False

    @property
    def mail_dir(self) -> Path:
        return self.data_dir / "mail"

    @property
    def credentials_path(self) -> Path:
        return self.config_dir / "credentials.json"

    @property
    def is_embedded_database(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("TIX_DATA_DIR") or _user_dir("data"))
    config_dir = Path(env.get("TIX_CONFIG_DIR") or _user_dir("config"))
    values: dict[str, object] = dict(_read_config_file(config_dir / "config.toml"))
    for field in fields(Settings):
        variable = f"TIX_{field.name.upper()}"
        if variable in env:
            values[field.name] = env[variable]
    typed = _typed(values)
    typed["data_dir"] = data_dir
    typed["config_dir"] = config_dir
    typed.setdefault("database_url", f"sqlite:///{data_dir / 'tix.db'}")
    return Settings(**typed)  # type: ignore[arg-type]  # _typed converted each value


def _user_dir(kind: str) -> str:
    import platformdirs

    if kind == "data":
        return platformdirs.user_data_dir(APP_NAME, appauthor=False)
    return platformdirs.user_config_dir(APP_NAME, appauthor=False)


def _read_config_file(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise Invalid(f"cannot read {path}: {error}") from None
    known = {f.name for f in fields(Settings)} - {"data_dir", "config_dir"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise Invalid(f"{path}: unknown setting(s) {', '.join(unknown)}")
    return data


def _typed(values: dict[str, object]) -> dict[str, object]:
    typed: dict[str, object] = {}
    for name, value in values.items():
        if value == "":
            continue  # an empty variable means "not set"
        if name in ("bcrypt_rounds", "hold_minutes", "holds_per_minute",
                    "checkins_per_second", "database_pool_size"):
            try:
                number = int(str(value))
            except ValueError:
                raise Invalid(f"TIX_{name.upper()} must be a whole number") from None
            if name == "database_pool_size" and not 1 <= number <= 1000:
                raise Invalid("TIX_DATABASE_POOL_SIZE must be between 1 and 1000")
            typed[name] = number
        elif name == "debug":
            typed[name] = str(value).lower() in ("1", "true", "yes", "on")
        elif name == "template_dir":
            typed[name] = Path(str(value))
        elif name == "mail_retry_delays":
            parts = value if isinstance(value, list) else str(value).split(",")
            try:
                typed[name] = tuple(int(str(p).strip()) for p in parts if str(p).strip())
            except ValueError:
                raise Invalid("TIX_MAIL_RETRY_DELAYS: seconds, comma-separated "
                              "(e.g. 60,300,1500)") from None
        elif name == "previous_secret_keys":
            keys = value if isinstance(value, list) else str(value).split(",")
            typed[name] = tuple(k.strip() for k in keys if k.strip())
        else:
            typed[name] = value
    return typed
