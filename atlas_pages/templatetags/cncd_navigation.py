from dataclasses import dataclass, field

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.safestring import mark_safe
from wagtail.models import Page

from atlas_pages.core import hooks as cncd_hooks
from atlas_pages.editorial import services, translations

register = template.Library()


@register.inclusion_tag("atlas_pages/includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context.get("request")
    current = context.get("page")
    items = services.main_menu(services.site_for(request)) if request else []
    current_path = getattr(current, "path", "")
    languages = translations.written_in(items)
    current_key = getattr(current, "translation_key", None)
    return {
        "items": [
            {
                "page": item,
                "active": bool(current_path)
                and (current_path.startswith(item.path) or item.translation_key == current_key),
                "language": languages[item.pk],
            }
            for item in items
        ],
        "request": request,
    }


@dataclass(frozen=True)
class PageLanguages:
    """What the page says of its languages, from one query for the page and its versions."""

    written_in: str  # French on an English page not translated yet (an alias of the French one)
    switch: list[dict]  # “Version in …”: for each other language, ``code`` and where it leads
    canonical: str = ""  # on a page not translated yet: its French source's address
    alternates: list[dict] = field(default_factory=list)  # ``hreflang`` links to its translations


@register.simple_tag(takes_context=True)
def page_languages(context) -> PageLanguages:
    """The language of the page's text, where “Version in …” leads (the page's version in that
    language, its translation or its alias there; elsewhere the same address in that language),
    and for search engines its translations (``hreflang``) or, on a page not translated yet, its
    French source as the canonical address (the same text at two addresses is one page)."""
    request = context.get("request")
    page = context.get("page")
    current = translation.get_language()
    others = [code for code, _name in settings.LANGUAGES if code != current]
    if request is None or not isinstance(page, Page) or not page.pk:
        path = request.get_full_path() if request else "/"
        return PageLanguages(current, [{"code": code, "url": translate_url(path, code)} for code in others])
    languages = translations.languages_of([page], request)
    written_in = languages.written_in[page.pk]
    if getattr(request, "is_preview", False):
        path = request.get_full_path()
        return PageLanguages(written_in, [{"code": code, "url": translate_url(path, code)} for code in others])
    versions = languages.translations.get(page.pk, [])
    by_language = {version.language: version for version in versions}
    switch = []
    for code in others:
        version = by_language.get(code)
        if version is None:  # no version there yet (the trees not synchronised since it was made)
            home = services.home_of(services.site_for(request), code)
            url = (home.get_url(request) if home is not None else None) or "/"
        else:
            url = version.url or "/"
        switch.append({"code": code, "url": url})
    translated = [version for version in versions if version.translated]
    if written_in != translations.Languages.locale_of(page):
        source = next((version for version in translated if version.id == page.alias_of_id), None)
        return PageLanguages(written_in, switch, canonical=request.build_absolute_uri(source.url) if source else "")
    alternates = [
        {"language": version.language, "url": request.build_absolute_uri(version.url)} for version in translated
    ]
    return PageLanguages(written_in, switch, alternates=alternates if len(alternates) > 1 else [])


@register.inclusion_tag("atlas_pages/includes/breadcrumb.html", takes_context=True)
def breadcrumb(context):
    page = context.get("page")
    request = context.get("request")
    if page is None or request is None or page.depth <= 2:
        return {"crumbs": [], "current": None}
    return {"crumbs": services.breadcrumb(page, services.site_for(request)), "current": page}


@register.simple_tag(takes_context=True)
def contact_details(context):
    return services.contact_details(context.get("request"))


@register.simple_tag(takes_context=True)
def legal_pages(context):
    """``{"terms": page, "privacy": page}``: those editors chose, live."""
    return services.legal_pages(context.get("request"))


@register.simple_tag(takes_context=True)
def plugin_blocks(context, hook_name: str, subject=None):
    """What other plugins add to a page of this app (the bookmark button of an article, the
    buttons under the Atlas map) through a Wagtail hook ``fn(request, subject) -> str`` that
    renders and escapes its own HTML: this app needs none of them to be installed."""
    request = context.get("request")
    if request is None:
        return ""
    return mark_safe(  # noqa: S308
        "".join(str(render(request, subject) or "") for render in cncd_hooks.implementations(hook_name))
    )
