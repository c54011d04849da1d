"""ISO 3166 countries with their names in the active language (French by default), from pycountry."""

import gettext
from functools import cache

import pycountry
from django.utils.functional import lazy
from django.utils.translation import get_language


@cache
def _translator(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_name(code: str, language: str | None = None) -> str:
    """The country's common name ("Sénégal", "Viet Nam"), or "" for an unknown code."""
    country = pycountry.countries.get(alpha_2=(code or "").upper())
    if country is None:
        return ""
    name = getattr(country, "common_name", None) or country.name
    language = (language or get_language() or "fr").split("-")[0]
    if language == "en":
        return name
    translated = _translator(language).gettext(name)
    if translated == name and name != country.name:
        translated = _translator(language).gettext(country.name)
    return translated


def _choices() -> list[tuple[str, str]]:
    return sorted(((c.alpha_2, country_name(c.alpha_2)) for c in pycountry.countries), key=lambda item: item[1])


def country_choices() -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name in the active language."""
    return _choices()


lazy_country_choices = lazy(country_choices, list)


def is_country_code(code: str) -> bool:
    return pycountry.countries.get(alpha_2=(code or "").upper()) is not None
