"""The issue's message assembled once, then written for each recipient by substitution.

Python's ``email`` package builds and folds the headers that are the same for everyone (From,
Subject, List-Id…) once per issue; each recipient's message is those bytes plus their own
To, Message-ID and List-Unsubscribe, and the two bodies in quoted-printable (encoded in C). Building a
full ``EmailMessage`` per recipient costs more than the SMTP exchange itself: this is what lets
one worker keep an SMTP connection busy. Used only over Django's SMTP backend, for ASCII
addresses; any other backend (locmem, console, an ESP's API) gets Django's own messages.
"""

import binascii
import contextlib
import functools
import re
import secrets
import smtplib
import time
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

CRLF = b"\r\n"


class Prepared:
    """A body quoted-printable encoded once for the whole issue, cut where the recipient's own
    values go (the markers). Each recipient's body is then a join of these ready bytes and of
    their few values, each encoded on lines of its own: a soft line break (``=`` at the end of a
    line) vanishes on decoding, so ``=\\r\\n`` + value + ``=\\r\\n`` reads as the value in place,
    and no line grows beyond 76 characters. A marker the encoder split across a soft line
    break is still found. The parts are also kept dot-stuffed for SMTP's DATA (``fill(...,
    stuffed=True)``): each part begins a line, so stuffing them once stuffs every message."""

    def __init__(self, text: str, markers: list[str]):
        encoded = _qp(text)
        self.markers = markers
        alternatives = b"|".join(
            b"(" + b"(?:=\r\n)?".join(re.escape(bytes([char])) for char in marker.encode()) + b")" for marker in markers
        )
        self.parts: list[bytes | int] = []
        position = 0
        for found in re.finditer(alternatives, encoded):
            self.parts.append(encoded[position : found.start()])
            self.parts.append(found.lastindex - 1)  # which marker
            position = found.end()
        self.parts.append(encoded[position:])
        self.stuffed_parts = [dot_stuffed(part) if isinstance(part, bytes) else part for part in self.parts]

    def fill(self, values: list[str], stuffed: bool = False) -> bytes:
        """The body with ``values[i]`` where ``markers[i]`` was; ``stuffed``: ready for DATA."""
        if stuffed:
            encoded = [_inline_stuffed(value) for value in values]
            parts = self.stuffed_parts
        else:
            encoded = [_inline(value) for value in values]
            parts = self.parts
        return b"".join(part if isinstance(part, bytes) else encoded[part] for part in parts)


@functools.lru_cache(maxsize=1024)
def _inline(value: str) -> bytes:
    """A value on lines of its own between two soft line breaks (the greetings repeat: cached)."""
    return b"=\r\n" + _qp_inline(value) + b"=\r\n"


@functools.lru_cache(maxsize=1024)
def _inline_stuffed(value: str) -> bytes:
    return _inline(value).replace(b"\n.", b"\n..")  # it starts with "=", never with a dot


def _qp_inline(value: str) -> bytes:
    """A value for the middle of a line: encoded, soft line breaks only, no final line break."""
    return binascii.b2a_qp(value.encode("utf-8"), istext=False, header=False).replace(b"=\n", b"=\r\n")


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
        return self.render_encoded(to, message_id, unsubscribe_url, unsubscribe_mailto, _qp(text), _qp(html))

    def render_encoded(
        self, to: str, message_id: str, unsubscribe_url: str, unsubscribe_mailto: str, text: bytes, html: bytes
    ) -> bytes:
        """As ``render``, the two bodies already in quoted-printable (``Prepared.fill``)."""
        boundary = self.boundary.encode()
        if plain_address(to):
            to_header = b"To: " + to.encode() + CRLF  # what folding gives for a short plain address
        else:
            to_header = policy.SMTP.fold_binary("To", str(Address(addr_spec=to)))
        return b"".join(
            [
                self.headers,
                to_header,
                b"Date: " + _date() + CRLF,
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
                text,
                b"--" + boundary + CRLF,
                b'Content-Type: text/html; charset="utf-8"' + CRLF,
                b"Content-Transfer-Encoding: quoted-printable" + CRLF,
                CRLF,
                html,
                b"--" + boundary + b"--" + CRLF,
            ]
        )


_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+")
_dates: dict[int, bytes] = {}


def _date() -> bytes:
    """The Date header's value, worked out once a second."""
    second = int(time.time())
    value = _dates.get(second)
    if value is None:
        value = formatdate(second, usegmt=True).encode()
        _dates.clear()
        _dates[second] = value
    return value


def plain_address(address: str) -> bool:
    """An address written as it is in the envelope and the To header: no quoting, no folding."""
    return len(address) < 70 and _PLAIN_ADDRESS.fullmatch(address) is not None


def dot_stuffed(data: bytes) -> bytes:
    """DATA's transparency (RFC 5321, 4.5.2): a line that starts with a dot gets another. What
    smtplib does with a regular expression over the whole message, done by ``bytes.replace``
    (a third of smtplib's time per message went to the expression)."""
    if data.startswith(b"."):
        data = b"." + data
    return data.replace(b"\n.", b"\n..")


def send_one(smtp: smtplib.SMTP, sender: str, recipient: str, data: bytes, stuffed: bool = False) -> None:
    """``smtp.sendmail(sender, [recipient], data)`` for a plain ASCII sender and recipient
    (``plain_address``) and a message in CRLF lines: the same commands (SIZE when the server
    offers it), the same replies checked and the same exceptions, without parsing the two
    addresses again for every message. ``stuffed``: ``data`` is already dot-stuffed (written
    from ``Prepared.fill(..., stuffed=True)``); its SIZE then counts the doubled dots too, as
    RFC 1870 allows of an estimate."""
    smtp.ehlo_or_helo_if_needed()
    size = f" SIZE={len(data)}" if smtp.does_esmtp and smtp.has_extn("size") else ""
    smtp.putcmd("mail", f"FROM:<{sender}>{size}")
    code, reply = smtp.getreply()
    if code != 250:
        _abandon(smtp, code)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    smtp.putcmd("rcpt", f"TO:<{recipient}>")
    code, reply = smtp.getreply()
    if code not in (250, 251):
        _abandon(smtp, code)
        raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    smtp.putcmd("data")
    code, reply = smtp.getreply()
    if code != 354:
        _abandon(smtp, code)
        raise smtplib.SMTPDataError(code, reply)
    if not stuffed:
        data = dot_stuffed(data)
    smtp.send(data + b".\r\n" if data.endswith(CRLF) else data + b"\r\n.\r\n")
    code, reply = smtp.getreply()
    if code != 250:
        _abandon(smtp, code)
        raise smtplib.SMTPDataError(code, reply)


def _abandon(smtp: smtplib.SMTP, code: int) -> None:
    """After a refusal, as smtplib does: 421 means the server is closing; else reset."""
    if code == 421:
        smtp.close()
    else:
        with contextlib.suppress(smtplib.SMTPServerDisconnected):
            smtp.rset()


def usable(connection) -> bool:
    """Django's SMTP backend, whose smtplib connection we may write to directly."""
    return isinstance(connection, SMTPBackend) and getattr(connection, "connection", None) is not None
