"""/api/auth/…: register, verify, log in and out, reset a password; the CSRF token.

A browser logs in to a cookie (tix_session); a script asks `"bearer": true` and gets the
session's token in the body instead, for `Authorization: Bearer` (the same sessions as
`tix login`). The same account service, rules, limits and messages as the CLI.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from tix.web.api.common import ok
from tix.web.csrf import csrf_token, session_csrf_token
from tix.web.sessions import (
    end_session,
    host_of,
    require_principal,
    runtime_of,
    start_session,
)

router = APIRouter(prefix="/auth", tags=["auth"])


class Registration(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)
    name: str = Field(max_length=200)
    date_of_birth: date | None = None
    organizer: bool = False


class Credentials(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)
    remember_me: bool = False
    bearer: bool = Field(False, description="Answer the session's token instead of a cookie.")


class Token(BaseModel):
    token: str = Field(max_length=4096)


class Email(BaseModel):
    email: str = Field(max_length=320)


class NewPassword(BaseModel):
    token: str = Field(max_length=4096)
    password: str = Field(max_length=1024)


@router.get("/csrf")
def csrf(request: Request) -> JSONResponse:
    """The CSRF token for this browser (sets its pre-session cookie when it has none)."""
    return ok({"csrf_token": csrf_token(request)})


@router.post("/register", status_code=201)
def register(request: Request, body: Registration) -> JSONResponse:
    """Create an account (customer, or organizer); a verification mail follows."""
    from tix.core.principal import Role

    accounts = runtime_of(request).accounts
    user_id = accounts.register(email=body.email, password=body.password, name=body.name,
                                date_of_birth=body.date_of_birth,
                                role=Role.ORGANIZER if body.organizer else Role.CUSTOMER)
    return ok(accounts.get(user_id), status=201)


@router.post("/verify-email")
def verify_email(request: Request, body: Token) -> JSONResponse:
    email = runtime_of(request).accounts.verify_email(body.token)
    return ok({"email": email, "verified": True})


@router.post("/resend-verification", status_code=202)
def resend_verification(request: Request, body: Email) -> JSONResponse:
    """Answers the same for unknown and verified addresses."""
    runtime_of(request).accounts.resend_verification(body.email)
    return ok({"sent": True}, status=202)


@router.post("/login")
def login(request: Request, body: Credentials) -> JSONResponse:
    result = runtime_of(request).accounts.login(
        email=body.email, password=body.password, remember_me=body.remember_me,
        host=host_of(request))
    data = {"email": result.principal.email, "role": result.principal.role.value,
            "expires_at": result.expires_at}
    if body.bearer:
        return ok({**data, "token": result.token})
    start_session(request, result)
    return ok({**data, "csrf_token": session_csrf_token(request)})


@router.post("/logout")
def logout(request: Request) -> JSONResponse:
    end_session(request)
    return ok({"logged_out": True})


@router.get("/me")
def me(request: Request) -> JSONResponse:
    """Who the session belongs to (`tix whoami --json`)."""
    principal = require_principal(request)
    return ok({"id": principal.user_id, "email": principal.email, "name": principal.name,
               "role": principal.role.value})


@router.post("/forgot-password", status_code=202)
def forgot_password(request: Request, body: Email) -> JSONResponse:
    """Mails a reset link (valid 15 minutes); answers the same for unknown addresses."""
    runtime_of(request).accounts.forgot_password(body.email)
    return ok({"sent": True}, status=202)


@router.post("/reset-password")
def reset_password(request: Request, body: NewPassword) -> JSONResponse:
    """Every session of the account is logged out."""
    email = runtime_of(request).accounts.reset_password(body.token, body.password)
    return ok({"email": email, "password_changed": True})
