"""Accounts at the shop: register, the verify link from the mail, log in (remember me,
the lockout said plainly), log out, forgot and reset password (the reset link from the
mail), the GDPR export as a download and deleting the account. The rules and words of
links are tix/account_links.py's, as on the daemon's listener."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tix import account_links
from tix.core.accounts.model import PASSWORD_MIN_LENGTH
from tix.core.errors import Invalid, NotAuthenticated, TixError
from tix.error_table import http_status
from tix.web.store import visitor
from tix.web.store.pages import PageRoute, sentence
from tix.web.store.render import page

router = APIRouter(route_class=PageRoute)
ASK_AGAIN = {"verify": "Log in and we offer to send a new link.",
             "reset": "Ask for a new link on the 'Forgot your password?' page."}


async def _form(request: Request) -> dict[str, str]:
    return {key: str(value)[:1000] for key, value in (await request.form()).items()
            if key != "csrf_token"}


@router.get("/register", response_class=HTMLResponse)
def register_form(request: Request) -> HTMLResponse:
    return page(request, "register.html", form={}, bad="", min_length=PASSWORD_MIN_LENGTH)


@router.post("/register", response_class=HTMLResponse)
async def register(request: Request) -> HTMLResponse:
    form = await _form(request)
    shown = {"name": form.get("name", "").strip(), "email": form.get("email", "").strip()}
    try:
        if not shown["name"]:
            raise Invalid("Give your name.", field="name")
        if form.get("password", "") != form.get("confirm", ""):
            raise Invalid("The two passwords differ: type the same one twice.",
                          field="confirm")
        visitor.runtime(request).accounts.register(
            email=shown["email"], password=form.get("password", ""), name=shown["name"],
            date_of_birth=None)
    except TixError as error:
        return page(request, "register.html", status=int(http_status(error)), form=shown,
                    bad=str(error.detail.get("field", "")), error=sentence(error),
                    min_length=PASSWORD_MIN_LENGTH)
    return page(request, "message.html", title="Check your mail",
                text=f"We sent a link to {shown['email']}. Open it to confirm your address, "
                     "then log in.", link="/login", link_text="Log in")


@router.get("/verify", response_class=HTMLResponse)
def verify(request: Request) -> HTMLResponse:
    try:
        email = visitor.runtime(request).accounts.verify_email(_link_token(request))
    except Exception as error:
        status, title, text = account_links.refusal("verify", error, ASK_AGAIN["verify"])
        return page(request, "message.html", status=status, title=title, text=text,
                    link="/login", link_text="Log in")
    return page(request, "message.html", title="Address confirmed",
                text=f"{email} is confirmed. You can log in now.", link="/login",
                link_text="Log in")


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return page(request, "login.html", form={}, bad="",
                next=_safe_next(request.query_params.get("next", "")))


@router.post("/login")
async def login(request: Request) -> Response:
    form = await _form(request)
    shown = {"email": form.get("email", "").strip(), "remember": form.get("remember", "")}
    runtime = visitor.runtime(request)
    try:
        done = runtime.accounts.login(email=shown["email"], password=form.get("password", ""),
                                      remember_me=bool(shown["remember"]),
                                      host=visitor.client_host(request))
    except TixError as error:
        message = sentence(error)
        if error.code == "account_locked":
            message = ("Your account is locked after too many failed logins. Reset your "
                       "password with the link below to unlock it.")
        elif error.code == "not_verified":
            try:
                runtime.accounts.resend_verification(shown["email"])
                message = ("Your address is not confirmed yet: we mailed you a new link. "
                           "Open it, then log in.")
            except TixError:
                message = "Your address is not confirmed yet: open the link in our mail."
        status = 401 if isinstance(error, NotAuthenticated) else int(http_status(error))
        return page(request, "login.html", status=status, form=shown, error=message,
                    bad="password", next=_safe_next(form.get("next", "")))
    visitor.start_session(request, done)  # its cookie lives as long as the session
    return RedirectResponse(_safe_next(form.get("next", "")) or "/my/tickets",
                            status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    visitor.end_session(request)  # logs the session out and drops its cookie
    return RedirectResponse("/", status_code=303)


@router.get("/forgot", response_class=HTMLResponse)
def forgot_form(request: Request) -> HTMLResponse:
    return page(request, "forgot.html", form={}, bad="")


@router.post("/forgot", response_class=HTMLResponse)
async def forgot(request: Request) -> HTMLResponse:
    email = (await _form(request)).get("email", "").strip()
    try:
        if not email:
            raise Invalid("Give the email you registered with.", field="email")
        visitor.runtime(request).accounts.forgot_password(email)
    except TixError as error:
        return page(request, "forgot.html", status=int(http_status(error)),
                    form={"email": email}, bad="email", error=sentence(error))
    return page(request, "message.html", title="Check your mail",
                text=f"If {email} has an account, a link to set a new password is on its "
                     "way. It works once, for a limited time.", link="/", link_text="Events")


@router.get("/reset", response_class=HTMLResponse)
def reset_form(request: Request) -> HTMLResponse:
    try:
        token = _link_token(request)
        visitor.runtime(request).accounts.check_reset_token(token)
    except Exception as error:
        status, title, text = account_links.refusal("reset", error, ASK_AGAIN["reset"])
        return page(request, "message.html", status=status, title=title, text=text,
                    link="/forgot", link_text="Ask for a new link")
    return page(request, "reset.html", token=token, bad="", min_length=PASSWORD_MIN_LENGTH)


@router.post("/reset", response_class=HTMLResponse)
async def reset(request: Request) -> HTMLResponse:
    form = await _form(request)
    token = form.get("token", "").strip()
    try:
        if form.get("password", "") != form.get("confirm", ""):
            raise Invalid("The two passwords differ: type the same one twice.",
                          field="confirm")
        email = visitor.runtime(request).accounts.reset_password(token,
                                                                  form.get("password", ""))
    except Invalid as error:  # the token still works: the form again, and why
        return page(request, "reset.html", status=400, token=token, error=sentence(error),
                    bad=str(error.detail.get("field", "password")),
                    min_length=PASSWORD_MIN_LENGTH)
    except Exception as error:
        status, title, text = account_links.refusal("reset", error, ASK_AGAIN["reset"])
        return page(request, "message.html", status=status, title=title, text=text,
                    link="/forgot", link_text="Ask for a new link")
    return page(request, "message.html", title="Password changed",
                text=f"The password of {email} is changed, and its other sessions ended. "
                     "Log in with the new one.", link="/login", link_text="Log in")


@router.get("/account", response_class=HTMLResponse)
def account(request: Request) -> HTMLResponse:
    visitor.member(request)
    return page(request, "account.html")


@router.post("/account/export")
def export(request: Request) -> Response:
    from tix.json_shapes import json_document

    me = visitor.member(request)
    data = visitor.runtime(request).privacy.export(me.user_id, by=me)
    return Response(json_document(data), media_type="application/json", headers={
        "Content-Disposition": 'attachment; filename="my-tix-data.json"',
        "Cache-Control": "no-store"})


@router.post("/account/delete", response_class=HTMLResponse)
async def delete(request: Request) -> HTMLResponse:
    me = visitor.member(request)
    if (await _form(request)).get("sure") != "yes":
        return page(request, "account.html", status=400,
                    error="Tick 'Yes, delete my account' to delete it.")
    visitor.runtime(request).privacy.erase(me.user_id, by=me)
    visitor.end_session(request)
    return page(request, "message.html", title="Account deleted",
                text="Your account and personal data are erased. Thank you for coming.",
                link="/", link_text="Events")


def _safe_next(target: str) -> str:
    """Only a path of this site (no other host, no scheme): no open redirect."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return ""
    return target


def _link_token(request: Request) -> str:
    """The token of a mail's link (verify, reset), or the refusal of a link cut short."""
    token = request.query_params.get("token", "").strip()
    if not token:
        raise Invalid("This link carries no token: copy the whole link from the mail.")
    return token
