"""How the CLI says an error: one line on stderr, in the CLI's words.

The core names the input at fault in no face's words (`Invalid(..., field="holders")`);
here it becomes the flag a user typed ("--holder: …"), and a way out the core can only
describe becomes the command to run. The exit code comes from the one
table every face shares (`tix.error_table`, CLI.md).
"""

from __future__ import annotations

from tix.core.errors import EntryRefused, Invalid, TixError

FLAGS: dict[str, str] = {
    "holders": "--holder",
    "answers": "--answer",
}
"""The flag that gives each input the core names as a `field`."""

HINTS: dict[str, str] = {
    "tickets_used": "--refund-used",
}
"""The flag that overrides a refusal, by the refusal's code: named after its message."""

WORDS: dict[str, str] = {
    "account_locked": "account locked after too many failed logins; reset your password "
                      "(tix account forgot-password) or ask an admin to unlock it",
    "not_verified": "email not verified yet: run the `tix account verify` command from the "
                    "mail we sent, or `tix account resend-verification`",
}
"""The CLI's own sentence, by code, for a refusal whose way out is one of its commands."""


def line(error: TixError) -> str:
    """The message `tix: …` prints for `error`."""
    message = WORDS.get(error.code, error.message)
    if isinstance(error, Invalid) and error.field in FLAGS:
        message = f"{FLAGS[error.field]}: {message}"
    if error.code in HINTS:
        message = f"{message} ({HINTS[error.code]})"
    if isinstance(error, EntryRefused):
        message = f"REFUSED: {message}"
    return message
