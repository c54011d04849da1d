"""An issue as an e-mail: MJML compiled once per issue by mjml-python, its ``mj-style
inline="inline"`` CSS inlined with css-inline (mjml-python leaves it in a ``<style>``, which
Gmail and Outlook ignore), a plain-text alternative, then per-recipient values (greeting,
unsubscribe link) put in by plain substitution, which costs nothing per message.

The web version in the public archive is the same HTML with no recipient.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape as html_escape  # Django's escape, minus its lazy and safe-string wrapping

import css_inline
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from mjml import mjml2html

from atlas_pages.core.links import site_url
from newsletter import composition

UNSUBSCRIBE = "%%CNCD_UNSUBSCRIBE_URL%%"
GREETING = "%%CNCD_GREETING%%"
PLACEHOLDERS = (UNSUBSCRIBE, GREETING)
INLINE_STYLE = re.compile(r"<mj-style\s+inline=\"inline\"\s*>(.*?)</mj-style>", re.S)


@dataclass(frozen=True)
class Compiled:
    subject: str
    html: str
    text: str


def _clean(value: str) -> str:
    """Editors' text cannot carry a placeholder into someone else's e-mail."""
    for placeholder in PLACEHOLDERS:
        value = value.replace(placeholder, "")
    return value


def agenda(issue) -> list[dict]:
    """The next events as the letter shows them (those of the issue's language): title, when,
    where, link."""
    with translation.override(issue.language):
        coming = composition.events(issue)
    return [
        {
            "event": event,
            "title": _clean(event.title),
            "place": _clean(event.place),
            "url": composition.absolute(event.get_url() or ""),
        }
        for event in coming
    ]


def discussions(issue) -> list[dict]:
    """The month's discussions of the public thematic spaces: title, space, link."""
    from extranet.spaces import services as spaces

    return [
        {
            "title": _clean(found.title),
            "space": _clean(found.space.title),
            "url": composition.absolute(spaces.discussion_url(found)),
        }
        for found in composition.discussions(issue)
    ]


def mjml_source(issue, items: list[composition.Item], web: bool = False, events=None, talks=None) -> str:
    with translation.override(issue.language):
        return render_to_string(
            "newsletter/email.mjml",
            {
                "issue": issue,
                "items": items,
                "events": agenda(issue) if events is None else events,
                "discussions": discussions(issue) if talks is None else talks,
                "web_url": composition.absolute(issue.get_url() or ""),
                "unsubscribe_url": UNSUBSCRIBE,
                "greeting": GREETING,
                "web": web,
                "site_url": site_url(),
            },
        )


def to_html(source: str) -> str:
    """MJML to e-mail HTML, with the ``inline`` styles inlined as Node's MJML does."""
    inline_css = "\n".join(INLINE_STYLE.findall(source))
    html = mjml2html(INLINE_STYLE.sub("", source), disable_comments=True)
    inliner = css_inline.CSSInliner(
        inline_style_tags=False, keep_style_tags=True, load_remote_stylesheets=False, extra_css=inline_css
    )
    return inliner.inline(html)


def compile_issue(issue) -> Compiled:
    """Once per issue (and per revision: a published change compiles again)."""
    return _compiled(issue.pk, issue.latest_revision_id or 0, issue.language)


@lru_cache(maxsize=16)
def _compiled(issue_id: int, revision_id: int, language: str) -> Compiled:
    from newsletter.models import NewsletterIssuePage

    issue = NewsletterIssuePage.objects.get(pk=issue_id)
    return build(issue)


def build(issue, web: bool = False) -> Compiled:
    items = composition.items(issue)
    for item in items:
        item.heading, item.text = _clean(item.heading), _clean(item.text)
    events, talks = agenda(issue), discussions(issue)
    html = to_html(mjml_source(issue, items, web=web, events=events, talks=talks))
    with translation.override(issue.language):
        text = render_to_string(
            "newsletter/email.txt",
            {
                "issue": issue,
                "items": items,
                "events": events,
                "discussions": talks,
                "web_url": composition.absolute(issue.get_url() or ""),
                "unsubscribe_url": UNSUBSCRIBE,
                "greeting": GREETING,
            },
        )
    return Compiled(subject=_clean(issue.subject), html=html, text=text)


class Personaliser:
    """Puts each recipient's greeting and unsubscribe link into the compiled issue; what does
    not depend on the recipient (the translations, the URL's prefix) is worked out once."""

    TOKEN = "__CNCD_TOKEN__"

    def __init__(self, compiled: Compiled, language: str):
        self.compiled = compiled
        with translation.override(language):
            self.hello = translation.gettext("Hello,")
            self.hello_name = translation.gettext("Hello %(name)s,")
        self.prefix = site_url(reverse("newsletter:unsubscribe", args=[self.TOKEN]))

    def unsubscribe_url(self, subscription) -> str:
        return self.prefix.replace(self.TOKEN, subscription.token)

    def greeting(self, subscription) -> str:
        user = subscription.user if subscription.user_id else None
        name = user.get_full_name() if user is not None else ""
        return self.hello_name % {"name": name} if name else self.hello

    MARKERS = [UNSUBSCRIBE, GREETING]

    def values(self, subscription) -> tuple[list[str], list[str]]:
        """What takes the place of ``MARKERS`` for one recipient: in the text, in the HTML."""
        url = self.unsubscribe_url(subscription)
        hello = self.greeting(subscription)
        return [url, hello], [html_escape(url), html_escape(hello)]

    def __call__(self, subscription) -> tuple[str, str, str]:
        """The HTML, the text and the unsubscribe URL for one recipient."""
        (url, hello), (html_url, html_hello) = self.values(subscription)
        html = self.compiled.html.replace(UNSUBSCRIBE, html_url).replace(GREETING, html_hello)
        text = self.compiled.text.replace(UNSUBSCRIBE, url).replace(GREETING, hello)
        return html, text, url


def web_html(issue) -> str:
    """The web version: no recipient, the unsubscribe link goes to the subscription page."""
    compiled = build(issue, web=True)
    with translation.override(issue.language):
        hello = translation.gettext("Hello,")
    page = site_url(reverse("newsletter:subscribe"))
    return compiled.html.replace(UNSUBSCRIBE, page).replace(GREETING, hello)


# The e-mail's HTML keeps its styles inline (that is how mail clients read it); its web version
# gets a policy of its own: those styles, images from anywhere, no script at all.
WEB_VERSION_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src * data:; frame-ancestors 'none'"


def web_response(issue, request) -> HttpResponse:
    response = HttpResponse(web_html(issue))
    response["Content-Security-Policy"] = WEB_VERSION_POLICY
    return response


def preview_response(issue, request, mode_name: str) -> HttpResponse:
    """The editor's preview: the web page, or the e-mail as a subscriber gets it (with a
    sample greeting), straight from the unsaved form."""
    compiled = build(issue)
    with translation.override(issue.language):
        hello = translation.gettext("Hello %(name)s,") % {"name": "Camille Martin"}
    html = compiled.html.replace(UNSUBSCRIBE, "#").replace(GREETING, hello)
    return HttpResponse(html)
