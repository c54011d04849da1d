from django import template
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


@register.simple_tag(takes_context=True)
def page_language(context, page=None):
    """The language the page's text is written in: French on an English page not translated
    yet (an alias of the French one), else the page's own."""
    page = page or context.get("page")
    if not isinstance(page, Page) or not page.pk:
        return translation.get_language()
    return translations.written_in([page])[page.pk]


@register.simple_tag(takes_context=True)
def language_links(context) -> dict:
    """For search engines: the translations of the page (``hreflang`` alternates) and, on a page
    not translated yet, its French source as the canonical address (the same text at two
    addresses is one page). One query."""
    request = context.get("request")
    page = context.get("page")
    if not isinstance(page, Page) or not page.pk or getattr(request, "is_preview", False):
        return {"alternates": [], "canonical": ""}
    versions = translations.languages_of([page], request).translations.get(page.pk, [])
    translated = [version for version in versions if version.translated]
    own = next((version for version in versions if version.id == page.pk), None)
    if own is not None and not own.translated:
        source = next((version for version in translated if version.id == page.alias_of_id), None)
        return {"alternates": [], "canonical": request.build_absolute_uri(source.url) if source else ""}
    alternates = [
        {"language": version.language, "url": request.build_absolute_uri(version.url)} for version in translated
    ]
    return {"alternates": alternates if len(alternates) > 1 else [], "canonical": ""}


@register.simple_tag(takes_context=True)
def language_version_url(context, language: str) -> str:
    """Where “Version in …” leads: on a page, the page's version in that language (its
    translation, or its alias there); elsewhere the same address in that language."""
    request = context.get("request")
    page = context.get("page")
    if isinstance(page, Page) and page.pk and not getattr(request, "is_preview", False):
        version = translations.in_language(page, language)
        if translations.Languages.locale_of(version) == language:
            return version.get_url(request) or "/"
        # No version there yet (the trees not synchronised since it was made): that site's home.
        with translation.override(language):
            home = services.home_of(services.site_for(request))
        return (home.get_url(request) if home is not None else None) or "/"
    path = request.get_full_path() if request else "/"
    return translate_url(path, language)


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
