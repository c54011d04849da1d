"""The mail room: every e-mail of the plugins but the newsletter's issues goes through here.

``send`` queues one django-tasks task (in production a row of the database queue, written in the
same transaction as the change it tells about: a change that fails sends nothing, and nothing
waits for the SMTP server). The worker then

- builds the context, in each recipient's language: ``context`` as given (JSON values),
  updated by ``context_from``, the dotted path of a function called with ``context_args`` that
  reads the records again (so that the message says what is true when it is sent) and may return ``attachments`` as
  ``(file name, bytes, MIME type)``, extra ``headers`` (List-Unsubscribe…) and the ``url`` the message is about;
- renders ``<template>_subject.txt``, ``<template>.txt`` and ``<template>.html`` (or the shared
  ``cncd_core/email/message.html`` around the text, escaped); templates live in an ``email/``
  folder, apart from the pages' own in each recipient's language: the one given,
  else what the ``cncd_recipient_languages`` hook answers (a subscriber's chosen language), else
  the site's;
- sends one message per recipient (nobody sees the others' addresses) over one connection;
- with ``keep_notice``, tells the ``cncd_mail_sent`` hook, through which the personal space keeps
  the member's notice.
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string, select_template
from django.utils import translation
from django.utils.module_loading import import_string
from django_tasks import task

from atlas_pages.core import hooks as cncd_hooks


class Skip(Exception):
    """Raised by a ``context_from`` function: the message is not to be sent after all."""


def send(
    template: str,
    recipients: Iterable[str],
    *,
    context: dict[str, Any] | None = None,
    context_from: str = "",
    context_args: dict[str, Any] | None = None,
    language: str = "",
    keep_notice: bool = False,
    reply_to: Iterable[str] = (),
    from_email: str = "",
) -> int:
    """Queues the message for these addresses (empty ones and repeats dropped); returns how many."""
    addresses = sorted({address.strip() for address in recipients if address and address.strip()})
    if not addresses:
        return 0
    deliver.enqueue(
        template,
        addresses,
        context=context or {},
        context_from=context_from,
        context_args=context_args or {},
        language=language,
        keep_notice=keep_notice,
        reply_to=[address for address in reply_to if address],
        from_email=from_email,
    )
    return len(addresses)


def one_click_stop(url: str) -> dict[str, str]:
    """The headers by which a mail client stops what sent the message in one click (RFC 8058):
    it POSTs to ``url``, which must stop it without login or CSRF token."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def send_rendered(message: EmailMessage) -> None:
    """A message another library rendered itself (allauth's verification codes and password
    resets, in the language of the request): queued, and sent by the worker as it is."""
    deliver_rendered.enqueue(
        subject=str(message.subject),
        body=str(message.body),
        content_subtype=message.content_subtype,
        from_email=str(message.from_email or settings.DEFAULT_FROM_EMAIL),
        to=[str(address) for address in message.to],
        reply_to=[str(address) for address in message.reply_to],
        alternatives=[[str(content), str(mimetype)] for content, mimetype in getattr(message, "alternatives", [])],
    )


def render(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, text and HTML of the message in the active language."""
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    # The text is rendered without escaping (it is text); joined into a plain str, so that the
    # HTML part escapes what members typed (names, messages) instead of trusting it as markup.
    text = "".join([render_to_string(f"{template}.txt", context)])
    html = select_template([f"{template}.html", "cncd_core/email/message.html"]).render(
        {**context, "subject": subject, "text": text}
    )
    return subject, text, html


def languages_of(addresses: list[str], language: str = "") -> dict[str, str]:
    known = {code for code, _name in settings.LANGUAGES}
    chosen: dict[str, str] = {}
    if not language:
        for answer in cncd_hooks.implementations(cncd_hooks.RECIPIENT_LANGUAGES):
            for address, code in answer(addresses).items():
                chosen.setdefault(address, code)
    fallback = language if language in known else settings.LANGUAGE_CODE
    return {address: code if (code := chosen.get(address, "")) in known else fallback for address in addresses}


@task()
def deliver(
    template: str,
    recipients: list[str],
    context: dict[str, Any],
    context_from: str,
    context_args: dict[str, Any],
    language: str,
    keep_notice: bool,
    reply_to: list[str],
    from_email: str = "",
) -> int:
    by_language: dict[str, list[str]] = defaultdict(list)
    for address, code in languages_of(recipients, language).items():
        by_language[code].append(address)
    messages, told, url = [], [], ""
    for code, addresses in sorted(by_language.items()):
        with translation.override(code):  # links and dates in the recipient's language too
            built = dict(context)
            if context_from:
                try:
                    built.update(import_string(context_from)(**context_args))
                except Skip:
                    return 0
            attachments = built.pop("attachments", ())
            headers = built.pop("headers", {})
            url = str(built.get("url", ""))
            subject, text, html = render(template, {**built, "language": code})
        for address in addresses:
            message = EmailMultiAlternatives(
                subject, text, from_email or settings.DEFAULT_FROM_EMAIL, [address], reply_to=reply_to, headers=headers
            )
            message.attach_alternative(html, "text/html")
            for attachment in attachments:
                message.attach(*attachment)
            messages.append(message)
        told.append((addresses, subject, text))
    get_connection().send_messages(messages)
    if keep_notice:
        path = urlsplit(url).path
        for addresses, subject, text in told:
            for keep in cncd_hooks.implementations(cncd_hooks.MAIL_SENT):
                keep(addresses, subject, text, path)
    return len(messages)


@task()
def deliver_rendered(
    subject: str,
    body: str,
    content_subtype: str,
    from_email: str,
    to: list[str],
    reply_to: list[str],
    alternatives: list[list[str]],
) -> int:
    message = EmailMultiAlternatives(subject, body, from_email, to, reply_to=reply_to)
    message.content_subtype = content_subtype
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    return message.send()
