"""Forms in the French State design system: any Django form (allauth's included) rendered
field by field with django-dsfr's snippets, errors next to their field.

Required fields are marked the DSFR way: an asterisk after the label (hidden from screen
readers, which announce the input's ``required``), explained once above the fields by
``required_note``; optional fields carry no mark."""

from django import template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
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
def required_note(form) -> SafeString:
    """“Fields marked with an asterisk are required”, when the form has such a field."""
    if not any(field.field.required for field in form.visible_fields()):
        return SafeString("")
    text = _("Fields marked with an asterisk (*) are required.")
    return format_html('<p class="fr-hint-text cncd-required-note">{}</p>', text)


@register.simple_tag
def dsfr_fields(form) -> SafeString:
    """Every field of the form, hidden ones included, after the note on required fields."""
    fields = format_html_join("\n", "{}", ((dsfr_field(field),) for field in form))
    return format_html("{}{}", required_note(form), fields)
