"""What other apps add to the personal space's list of links (hook ``cncd_personal_space_links``)."""

from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString


def space_link(request: HttpRequest, url: str, label: str) -> SafeString:
    """A tag of the personal space's list, marked as the current page when it is."""
    if request.path == url:
        return format_html('<li><a class="fr-tag" href="{}" aria-current="page">{}</a></li>', url, label)
    return format_html('<li><a class="fr-tag" href="{}">{}</a></li>', url, label)
