"""Mail delivered into a Maildir: a real mailbox that mutt, Thunderbird or Python read."""

from __future__ import annotations

import mailbox
from pathlib import Path

from tix.adapters.mail.message import to_mime
from tix.core.ports import MailError, OutgoingMail


class MaildirMailer:
    def __init__(self, path: Path, sender: str) -> None:
        self._path = path
        self._sender = sender
        self._box: mailbox.Maildir | None = None

    def send(self, mail: OutgoingMail) -> None:
        try:
            if self._box is None:
                self._path.parent.mkdir(parents=True, exist_ok=True)  # Maildir makes one level
                self._box = mailbox.Maildir(self._path, create=True)
            self._box.add(to_mime(mail, self._sender))  # written to tmp/, renamed into new/
        except OSError as error:
            raise MailError(f"cannot write to the maildir {self._path}: {error}",
                            temporary=True) from error
