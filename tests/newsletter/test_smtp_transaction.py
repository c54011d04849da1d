"""The sender writes each SMTP transaction itself (``mime.send_one``), dot-stuffing once per
issue: against a real SMTP server on loopback, what the server stores is exactly the message,
the exchange is smtplib's own (SIZE included) and refusals raise what ``sendmail`` raises, so
that retries and failures are recorded as before."""

import smtplib
from email import message_from_bytes, policy

import pytest

from newsletter import mime, sending
from newsletter.rendering import GREETING, UNSUBSCRIBE
from tests.newsletter.conftest import smtp_server

MARKERS = [UNSUBSCRIBE, GREETING]
assembled = mime.IssueMessage("La lettre", "CNCD <lettre@cncd.example.org>", "<lettre.cncd.example.org>")


class Server:
    """Keeps what it receives; refuses the recipients whose address says so."""

    def __init__(self):
        self.received: list[tuple[str, list[str], list[str], bytes]] = []

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        envelope.mail_from, envelope.mail_options = address, list(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.startswith("inconnu"):
            return "550 5.1.1 No such user"
        if address.startswith("plein"):
            return "452 4.2.2 Mailbox full, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.received.append((envelope.mail_from, envelope.rcpt_tos, envelope.mail_options, envelope.original_content))
        return "250 OK"


@pytest.fixture
def server():
    handler = Server()
    with smtp_server(handler) as port, smtplib.SMTP("127.0.0.1", port) as smtp:
        yield handler, smtp


def issue_message(text: str, html: str, stuffed: bool) -> tuple[bytes, bytes]:
    """One recipient's message as the sender writes it (stuffed or not) and, for comparison,
    the same message written whole (one issue: one boundary)."""
    url, hello = "https://cncd.example.org/desinscription/abc/", ".Bonjour Amélie,"
    args = ("amelie@example.org", "<1@x>", url, "mailto:u@x")
    written = assembled.render_encoded(
        *args,
        mime.Prepared(text, MARKERS).fill([url, hello], stuffed),
        mime.Prepared(html, MARKERS).fill([url, hello], stuffed),
    )
    whole = assembled.render(
        *args,
        text.replace(UNSUBSCRIBE, url).replace(GREETING, hello),
        html.replace(UNSUBSCRIBE, url).replace(GREETING, hello),
    )
    return written, whole


# Lines that begin with a dot, in the text, after a marker, and alone: SMTP would cut the
# message at a lone "." line, and drop the first dot of the others, were they not stuffed.
TEXT = f"{GREETING}\n.\n.. deux points\n.{UNSUBSCRIBE}\nfin.\n"
HTML = f'<p>{GREETING}</p>\n.<a href="{UNSUBSCRIBE}">.</a>\n.\n' + "x" * 75 + ".y\n"


def test_the_server_stores_exactly_the_message_dots_at_line_starts_included(server):
    handler, smtp = server
    stuffed, whole = issue_message(TEXT, HTML, stuffed=True)
    plain, _ = issue_message(TEXT, HTML, stuffed=False)
    assert stuffed != plain  # there was something to stuff
    mime.send_one(smtp, "lettre@cncd.example.org", "amelie@example.org", stuffed, stuffed=True)
    mime.send_one(smtp, "lettre@cncd.example.org", "amelie@example.org", plain)
    smtp.sendmail("lettre@cncd.example.org", ["amelie@example.org"], plain)  # smtplib's own, for reference
    (_, _, _, first), (_, _, _, second), (_, _, _, reference) = handler.received
    assert first == second == reference == plain
    parsed, expected = (message_from_bytes(data, policy=policy.default) for data in (first, whole))
    for kind in ("plain", "html"):
        assert parsed.get_body((kind,)).get_content() == expected.get_body((kind,)).get_content()


def test_the_exchange_is_smtplibs_own(server):
    handler, smtp = server
    plain, _ = issue_message(TEXT, HTML, stuffed=False)
    mime.send_one(smtp, "lettre@cncd.example.org", "amelie@example.org", plain)
    smtp.sendmail("lettre@cncd.example.org", ["amelie@example.org"], plain)
    ours, theirs = handler.received
    assert ours[:3] == theirs[:3] == ("lettre@cncd.example.org", ["amelie@example.org"], [f"SIZE={len(plain)}"])


@pytest.mark.parametrize(
    ("recipient", "code", "transient"),
    [("inconnu@example.org", 550, False), ("plein@example.org", 452, True)],
)
def test_a_refused_recipient_raises_what_sendmail_raises_and_the_connection_goes_on(server, recipient, code, transient):
    handler, smtp = server
    plain, _ = issue_message(TEXT, HTML, stuffed=False)
    with pytest.raises(smtplib.SMTPRecipientsRefused) as ours:
        mime.send_one(smtp, "lettre@cncd.example.org", recipient, plain)
    with pytest.raises(smtplib.SMTPRecipientsRefused) as theirs:
        smtp.sendmail("lettre@cncd.example.org", [recipient], plain)
    assert ours.value.recipients == theirs.value.recipients
    assert ours.value.recipients[recipient][0] == code
    assert sending.is_transient(ours.value) is transient
    mime.send_one(smtp, "lettre@cncd.example.org", "amelie@example.org", plain)  # reset, not stuck
    assert [to for _, to, _, _ in handler.received] == [["amelie@example.org"]]


@pytest.mark.parametrize(
    ("address", "plain"),
    [
        ("amelie@example.org", True),
        ("prenom.nom+lettre@mairie-lyon.fr", True),
        ('"amelie dupont"@example.org', False),  # quoted: smtplib's way
        ("élodie@exemple.fr", False),  # not ASCII: Django's way
        ("x" * 70 + "@example.org", False),  # folded in the To header
    ],
)
def test_only_plain_addresses_take_the_direct_path(address, plain):
    assert mime.plain_address(address) is plain
