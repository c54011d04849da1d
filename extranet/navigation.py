"""What other apps add to the personal space's menus (hooks ``cncd_personal_space_links``, for
the member's procedures, and ``cncd_personal_space_profile_links``, for their own settings)."""

from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString


def space_link(request: HttpRequest, url: str, label: str) -> SafeString:
    """An entry of one of the personal space's menus, marked as the current page when it is."""
    if request.path == url:
        return format_html(
            '<li><a class="fr-nav__link" href="{}" target="_self" aria-current="page">{}</a></li>', url, label
        )
    return format_html('<li><a class="fr-nav__link" href="{}" target="_self">{}</a></li>', url, label)
