"""Mail sent over SMTP, configured by one URL: smtp://user:pass@host:587?starttls=1."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from tix.adapters.mail.message import to_mime
from tix.core.errors import Invalid
from tix.core.ports import MailError, OutgoingMail


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    implicit_tls: bool
    starttls: bool
    username: str | None
    password: str | None
    timeout: float

    @classmethod
    def from_url(cls, url: str) -> SmtpConfig:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise Invalid(f"TIX_SMTP_URL must look like smtp://user:pass@host:587 "
                          f"or smtps://host:465, not {parts.scheme}://…")
        query = parse_qs(parts.query)
        implicit = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if implicit else 25),
            implicit_tls=implicit,
            starttls=query.get("starttls", ["0"])[0] in ("1", "true", "yes"),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            timeout=float(query.get("timeout", ["10"])[0]))


class SmtpMailer:
    def __init__(self, config: SmtpConfig, sender: str) -> None:
        self._config = config
        self._sender = sender

    def send(self, mail: OutgoingMail) -> None:
        message = to_mime(mail, self._sender)
        try:
            with self._connect() as client:
                client.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            temporary = all(400 <= code < 500 for code in codes)
            raise MailError(f"recipient refused: {_describe(error.recipients)}",
                            temporary=temporary,
                            summary=f"recipient refused (SMTP {sorted(set(codes))})") from error
        except smtplib.SMTPResponseException as error:
            reason = error.smtp_error.decode(errors="replace") if isinstance(
                error.smtp_error, bytes) else str(error.smtp_error)
            raise MailError(f"SMTP {error.smtp_code} {reason}",
                            temporary=400 <= error.smtp_code < 500,
                            summary=f"SMTP {error.smtp_code}") from error
        except (TimeoutError, smtplib.SMTPException, OSError) as error:
            raise MailError(f"SMTP server {self._config.host}:{self._config.port} "
                            f"unreachable: {error}", temporary=True) from error

    def _connect(self) -> smtplib.SMTP:
        cfg = self._config
        client: smtplib.SMTP
        if cfg.implicit_tls:
            client = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
            if cfg.starttls:
                client.starttls(context=ssl.create_default_context())
        if cfg.username:
            client.login(cfg.username, cfg.password or "")
        return client


def _describe(recipients: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{addr}: {code} {msg.decode(errors='replace')}"
                     for addr, (code, msg) in recipients.items())
