"""What the links in verification and reset mails do, for the daemon's listener:

  GET  /verify?token=…   verifies the account, says so (or why not) on a page
  GET  /reset?token=…    a form for the new password, typed twice
  POST /reset            sets it (the token in the body)

The same account service as `tix account verify` and `tix account reset-password`, the same
rules and messages; a refused token is a page with its status, never a stack trace.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from tix.adapters.render import account_pages as pages
from tix.core.errors import Invalid, NotFound, RuleViolation, TixError

if TYPE_CHECKING:
    from collections.abc import Callable

    from tix.core.accounts.service import AccountService

log = logging.getLogger("tix.listener")
MAX_FORM = 16 * 1024  # a token and two passwords
SECURITY_HEADERS = pages.SECURITY_HEADERS

_ASK_AGAIN = {"verify": "Ask for a new mail with `tix account resend-verification --email "
                        "YOUR-ADDRESS`.",
              "reset": "Ask for a new mail with `tix account forgot-password --email "
                       "YOUR-ADDRESS`."}


@dataclass(frozen=True)
class Page:
    status: HTTPStatus
    html: str


def verify(accounts: AccountService, query: str) -> Page:
    def answer() -> Page:
        email = accounts.verify_email(_token(parse_qs(query)))
        return Page(HTTPStatus.OK, pages.verified_page(email))

    return _guarded("verify", answer)


def reset_form(accounts: AccountService, query: str) -> Page:
    def answer() -> Page:
        token = _token(parse_qs(query))
        accounts.check_reset_token(token)
        return Page(HTTPStatus.OK, pages.reset_form_page(token))

    return _guarded("reset", answer)


def reset(accounts: AccountService, body: bytes) -> Page:
    def answer() -> Page:
        try:
            form = parse_qs(body.decode("utf-8"), errors="strict")
        except UnicodeDecodeError:
            raise Invalid("the form is not valid UTF-8 text") from None
        token = _token(form)
        password, confirm = (form.get(name, [""])[0] for name in ("password", "confirm"))
        try:
            if password != confirm:
                raise Invalid("the two passwords differ: type the same one twice")
            email = accounts.reset_password(token, password)
        except Invalid as error:  # the token still works: the form again, and why
            return Page(HTTPStatus.BAD_REQUEST, pages.reset_form_page(token, error.message))
        return Page(HTTPStatus.OK, pages.password_changed_page(email))

    return _guarded("reset", answer)


def _token(params: dict[str, list[str]]) -> str:
    token = (params.get("token") or [""])[0].strip()
    if not token:
        raise Invalid("this link carries no token: copy the whole link from the mail, "
                      "or paste the command the mail gives")
    return token


def _guarded(kind: str, answer: Callable[[], Page]) -> Page:
    """A refused token or a failure becomes a page that says why, with its status."""
    try:
        return answer()
    except Exception as error:
        status, title, explanation = refusal(kind, error)
        return _problem(status, title, explanation)


def refusal(kind: str, error: Exception, ask_again: str | None = None
            ) -> tuple[HTTPStatus, str, str]:
    """Why a verify or reset link did not work, as (status, title, explanation): for the
    listener's pages and the web shop's alike. `ask_again` says how to get a new mail
    (the listener names the command; the shop its own page)."""
    again = ask_again or _ASK_AGAIN[kind]
    if isinstance(error, NotFound):
        return (HTTPStatus.NOT_FOUND, "Unknown link",
                f"This link is not known: it may be cut short or mistyped. {again}")
    if isinstance(error, RuleViolation):
        if error.code == "token_used":
            done = ("If it was you, the address is verified: log in with `tix login`."
                    if kind == "verify" and ask_again is None else
                    "If it was you, the address is verified: log in."
                    if kind == "verify" else
                    "If you set a password with it, log in with that one.")
            return (HTTPStatus.GONE, "Link already used",
                    f"This link was already used, or a newer mail replaced it. "
                    f"{done} {again}")
        if error.code == "token_expired":
            return HTTPStatus.GONE, "Link expired", f"This link has expired. {again}"
        return HTTPStatus.CONFLICT, "Refused", error.message
    if isinstance(error, Invalid):
        return HTTPStatus.BAD_REQUEST, "Bad link", error.message
    if isinstance(error, TixError):  # busy or unavailable: nothing was changed, try again
        log.warning("%s link: %s", kind, error.message)
        return (HTTPStatus.SERVICE_UNAVAILABLE, "Try again in a moment",
                "tix cannot answer right now; nothing was changed. Reload the page "
                "in a moment.")
    log.error("%s link failed", kind, exc_info=error)  # the trace goes to the log only
    return (HTTPStatus.INTERNAL_SERVER_ERROR, "Something went wrong",
            "tix could not finish this. Try again later, or use the command in the mail.")


def _problem(status: HTTPStatus, title: str, explanation: str) -> Page:
    return Page(status, pages.problem_page(title, explanation))
