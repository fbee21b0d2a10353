"""Settings from TIX_* environment variables and an optional config.toml.

Precedence: environment, then `config.toml` in the config dir, then defaults. The file
takes every setting a variable does, by the variable's name without TIX_ in lower case
(TIX_DATABASE_URL is `database_url`), except the config dir it lives in. Cheap to import:
`tix --help` loads this and nothing heavier.
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
    stripe_publishable_key: str | None = None  # pk_…: the browser's Stripe.js (tix serve)
    stripe_js_url: str = "https://js.stripe.com/v3/"  # the page loads it; the CSP allows it
    trust_proxy: bool = False  # tix serve honours X-Forwarded-Proto/-For only when set
    web_cache_seconds: int = 1  # tix serve keeps public catalog answers this long (0: off)
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
    message_retention_days: int = 14  # delivered and dead-letter messages, then deleted
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
    config_dir = Path(env.get("TIX_CONFIG_DIR") or _user_dir("config"))
    config_file = config_dir / "config.toml"
    typed = _typed(_read_config_file(config_file), f"{config_file}: ")
    variables = {f.name: env[f"TIX_{f.name.upper()}"] for f in fields(Settings)
                 if f"TIX_{f.name.upper()}" in env}
    typed.update(_typed(variables))
    for name in (n for n, value in variables.items() if value == ""):
        typed.pop(name, None)  # an empty variable unsets what the file says
    data_dir = Path(str(typed.get("data_dir") or _user_dir("data")))
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
    except RecursionError:  # the parser recurses once per level of arrays or tables
        raise Invalid(f"cannot read {path}: nested too deeply") from None
    if "config_dir" in data:
        raise Invalid(f"{path}: config_dir cannot be set in the file it locates; "
                      "use TIX_CONFIG_DIR")
    for key, value in data.items():
        if key not in FILE_KEYS:
            raise Invalid(f"{path}: unknown setting {key}{_closest(key)}")
        if FILE_KEYS[key] in ("str", "str | None", "Path", "Path | None") and not isinstance(
                value, str):
            raise Invalid(f"{path}: {key} must be a string (in quotes)")
    return data


# What config.toml takes: each setting's name and its declared type.
FILE_KEYS = {f.name: str(f.type) for f in fields(Settings) if f.name != "config_dir"}


def _closest(key: str) -> str:
    """The hint for a mistyped key: DATABASE-URL, TIX_DATABASE_URL, databse_url all
    get "; did you mean database_url?"."""
    import difflib

    spelled = key.lower().replace("-", "_").removeprefix("tix_")
    if spelled in FILE_KEYS:
        return f"; did you mean {spelled}?"
    close = difflib.get_close_matches(spelled, FILE_KEYS, n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else " (README's Configuration lists them)"


def _typed(values: Mapping[str, object], where: str = "") -> dict[str, object]:
    """Each value as its setting's type; `where` names a config file (else: variables)."""
    typed: dict[str, object] = {}
    for name, value in values.items():
        label = f"{where}{name}" if where else f"TIX_{name.upper()}"
        if value == "":
            continue  # an empty variable means "not set"
        if name in ("bcrypt_rounds", "hold_minutes", "holds_per_minute",
                    "checkins_per_second", "database_pool_size", "message_retention_days",
                    "web_cache_seconds"):
            try:
                number = int(str(value))
            except ValueError:
                raise Invalid(f"{label} must be a whole number") from None
            if name == "database_pool_size" and not 1 <= number <= 1000:
                raise Invalid(f"{label} must be between 1 and 1000")
            if name == "web_cache_seconds" and not 0 <= number <= 60:
                raise Invalid(f"{label} must be between 0 and 60")
            if name == "message_retention_days" and number < 1:  # records stop redeliveries
                raise Invalid(f"{label} must be at least 1")
            typed[name] = number
        elif name in ("debug", "trust_proxy"):
            typed[name] = str(value).lower() in ("1", "true", "yes", "on")
        elif name in ("template_dir", "data_dir"):
            typed[name] = Path(str(value))
        elif name == "mail_retry_delays":
            parts = value if isinstance(value, list) else str(value).split(",")
            try:
                typed[name] = tuple(int(str(p).strip()) for p in parts if str(p).strip())
            except ValueError:
                raise Invalid(f"{label}: seconds, comma-separated "
                              "(e.g. 60,300,1500)") from None
        elif name == "previous_secret_keys":
            keys = value if isinstance(value, list) else str(value).split(",")
            typed[name] = tuple(k.strip() for k in keys if k.strip())
        else:
            typed[name] = value
    return typed
