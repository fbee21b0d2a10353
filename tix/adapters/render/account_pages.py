"""The pages the links in account mails open (/verify, /reset): small, static, no scripts.

Every value is HTML-escaped; the reset token travels in the form's body, never in its
action, so it does not end up in a log line or a Referer header.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape

from tix.core.accounts.model import PASSWORD_MIN_LENGTH

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 28rem; margin: auto; padding: 1rem;
       color: #222; }
h1 { font-size: 1.4rem; } label { display: block; margin: .75rem 0; }
input { display: block; width: 100%; font-size: 1rem; padding: .4rem; box-sizing: border-box; }
button { font-size: 1rem; padding: .5rem 1rem; }
.problem { background: #b00020; color: white; padding: .5rem; }
"""
_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()

# Sent with every one of these pages: a token-bearing page is never cached, never framed,
# never tells the next site where the user came from, and applies nothing but its own
# style sheet (by its hash): no script, no other source of anything.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
}


def verified_page(email: str) -> str:
    return _page("Email confirmed", f"<p><strong>{escape(email)}</strong> is verified.</p>"
                 "<p>Log in with <code>tix login</code>.</p>")


def reset_form_page(token: str, problem: str | None = None) -> str:
    warning = f'<p class="problem" role="alert">{escape(problem)}</p>' if problem else ""
    return _page("Choose a new password", f"""{warning}
<form method="post" action="/reset">
<input type="hidden" name="token" value="{escape(token)}">
<label>New password <input type="password" name="password" autocomplete="new-password"
 required></label>
<label>Once more <input type="password" name="confirm" autocomplete="new-password"
 required></label>
<p><small>At least {PASSWORD_MIN_LENGTH} characters with a lower-case and an upper-case
letter, a digit and a special character.</small></p>
<button type="submit">Set the new password</button>
</form>""")


def password_changed_page(email: str) -> str:
    return _page("Password changed", f"<p>The password of <strong>{escape(email)}</strong> "
                 "is changed and every session was logged out.</p>"
                 "<p>Log in again with <code>tix login</code>.</p>")


def problem_page(title: str, explanation: str) -> str:
    return _page(title, f'<p class="problem">{escape(explanation)}</p>')


def _page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · tix</title>
<style>{STYLE}</style></head><body>
<h1>{escape(title)}</h1>
{body}
<hr><p><small>tix — tickets from your terminal.</small></p>
</body></html>
"""
