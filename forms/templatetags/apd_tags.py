"""The names of the OECD codes in templates: ``{{ line.purpose_code|code_name:"purpose" }}``."""

from django import template

from forms.apd import codelists

register = template.Library()


@register.filter
def code_name(code: str, kind: str) -> str:
    found = codelists.codelist(kind).get(code or "")
    return found.name if found else ""
