"""Each recipient's message is written from bodies encoded once per issue: what the recipient's
mail client decodes is exactly what encoding their own message whole would give."""

from email import message_from_bytes, policy

import pytest

from newsletter import mime
from newsletter.rendering import GREETING, UNSUBSCRIBE

MARKERS = [UNSUBSCRIBE, GREETING]


def bodies(message: bytes) -> tuple[str, str]:
    parsed = message_from_bytes(message, policy=policy.default)
    text = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    return text, html


@pytest.mark.parametrize("column", [0, 40, 70, 73, 74, 75, 76, 150])
def test_the_prepared_bodies_decode_as_the_whole_ones(column):
    # A marker wherever it falls, across a soft line break included.
    html = (
        "<p>" + "é" * (column // 3) + "x" * column + f'<a href="{UNSUBSCRIBE}">Se désinscrire</a>'
        + " " * 5 + f"{GREETING}</p>\n<p>=3D égal, fin de ligne   \n</p>" * 3
    )  # fmt: skip
    text = f"{GREETING}\n\n" + "y" * column + f" {UNSUBSCRIBE} fin.\n" * 2
    url = "https://cncd.example.org/lettre-information/desinscription/" + "a1b2" * 20 + "/"
    hello = "Bonjour Amélie Dûpont-Éluard,"
    message = mime.IssueMessage("La lettre", "CNCD <lettre@cncd.example.org>", "<lettre.cncd.example.org>")

    whole = message.render(
        "amelie@example.org",
        "<1@x>",
        url,
        "mailto:u@x",
        text.replace(UNSUBSCRIBE, url).replace(GREETING, hello),
        html.replace(UNSUBSCRIBE, url).replace(GREETING, hello),
    )
    prepared = message.render_encoded(
        "amelie@example.org",
        "<1@x>",
        url,
        "mailto:u@x",
        mime.Prepared(text, MARKERS).fill([url, hello]),
        mime.Prepared(html, MARKERS).fill([url, hello]),
    )
    assert bodies(prepared) == bodies(whole)
    body = prepared.split(b"\r\n\r\n", 1)[1]
    assert max(len(line) for line in body.split(b"\r\n")) <= 76  # quoted-printable's limit
    assert b"To: amelie@example.org\r\n" in prepared


def test_a_long_or_unusual_address_is_still_folded_by_the_email_package():
    message = mime.IssueMessage("La lettre", "CNCD <lettre@cncd.example.org>", "<lettre.cncd.example.org>")
    address = "prenom.nom." + "x" * 70 + "@example.org"
    data = message.render_encoded(address, "<1@x>", "https://x", "mailto:u@x", b"t\r\n", b"h\r\n")
    parsed = message_from_bytes(data, policy=policy.default)
    assert parsed["To"] == address
