"""Forms in the French State design system: any Django form (allauth's included) rendered
field by field with django-dsfr's snippets, errors next to their field."""

from django import template
from django.forms import BoundField
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from dsfr.forms import DsfrBoundField
from dsfr.utils import dsfr_input_class_attr

register = template.Library()


@register.simple_tag
def dsfr_field(field: BoundField) -> SafeString:
    if field.is_hidden:
        return field.as_hidden()
    dsfr = DsfrBoundField(field.form, field.field, field.name)
    dsfr_input_class_attr(dsfr)
    return dsfr.render(template_name=dsfr.template_name)


@register.simple_tag
def dsfr_fields(form) -> SafeString:
    """Every field of the form, hidden ones included (errors of the whole form come first)."""
    return format_html_join("\n", "{}", ((dsfr_field(field),) for field in form))
