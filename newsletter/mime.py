"""The issue's message assembled once, then written for each recipient by substitution.

Python's ``email`` package builds and folds the headers that are the same for everyone (From,
Subject, List-Id…) once per issue; each recipient's message is those bytes plus their own
To, Message-ID and List-Unsubscribe, and the two bodies in quoted-printable (encoded in C). Building a
full ``EmailMessage`` per recipient costs more than the SMTP exchange itself: this is what lets
one worker keep an SMTP connection busy. Used only over Django's SMTP backend, for ASCII
addresses; any other backend (locmem, console, an ESP's API) gets Django's own messages.
"""

import binascii
import secrets
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

CRLF = b"\r\n"


def _qp(text: str) -> bytes:
    """Quoted-printable (in C): a quarter shorter than base64 for mostly-ASCII HTML, and still
    readable; lines of at most 76 characters."""
    data = text.replace("\r\n", "\n").encode("utf-8")
    return binascii.b2a_qp(data, istext=True).replace(b"\n", CRLF) + CRLF


class IssueMessage:
    def __init__(self, subject: str, from_email: str, list_id: str, extra: dict[str, str] | None = None):
        fixed = EmailMessage(policy=policy.SMTP)
        fixed["From"] = from_email
        fixed["Subject"] = subject
        fixed["List-Id"] = list_id
        fixed["MIME-Version"] = "1.0"
        for name, value in (extra or {}).items():
            fixed[name] = value
        self.headers = b"".join(policy.SMTP.fold_binary(name, value) for name, value in fixed.items())
        self.envelope_from = parseaddr(from_email)[1]
        self.boundary = f"===============cncd{secrets.token_hex(12)}=="

    def render(
        self, to: str, message_id: str, unsubscribe_url: str, unsubscribe_mailto: str, text: str, html: str
    ) -> bytes:
        boundary = self.boundary.encode()
        to_header = policy.SMTP.fold_binary("To", str(Address(addr_spec=to)))
        return b"".join(
            [
                self.headers,
                to_header,
                b"Date: " + formatdate(usegmt=True).encode() + CRLF,
                b"Message-ID: " + message_id.encode() + CRLF,
                b"List-Unsubscribe: <" + unsubscribe_url.encode() + b">," + CRLF,
                b" <" + unsubscribe_mailto.encode() + b">" + CRLF,
                b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" + CRLF,
                b'Content-Type: multipart/alternative; boundary="' + boundary + b'"' + CRLF,
                CRLF,
                b"--" + boundary + CRLF,
                b'Content-Type: text/plain; charset="utf-8"' + CRLF,
                b"Content-Transfer-Encoding: quoted-printable" + CRLF,
                CRLF,
                _qp(text),
                b"--" + boundary + CRLF,
                b'Content-Type: text/html; charset="utf-8"' + CRLF,
                b"Content-Transfer-Encoding: quoted-printable" + CRLF,
                CRLF,
                _qp(html),
                b"--" + boundary + b"--" + CRLF,
            ]
        )


def usable(connection) -> bool:
    """Django's SMTP backend, whose smtplib connection we may write to directly."""
    return isinstance(connection, SMTPBackend) and getattr(connection, "connection", None) is not None
