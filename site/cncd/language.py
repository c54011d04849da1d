"""“Version in English”: Django's ``set_language``, which also knows the address of the page
in the other language when the switcher names it.

Django translates the ``next`` address it is given into the language chosen. An address that
already starts with a language (``/en/news/…``, the English version of a page whose slug was
translated) is taken as it is: translating it again would ask the French site for
``/en/en/news/…``."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_from_path
from django.views.i18n import set_language as django_set_language


def set_language(request: HttpRequest):
    response = django_set_language(request)
    asked = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(asked, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    if response.status_code == 302 and asked and safe and get_language_from_path(asked):
        response["Location"] = asked
    return response
