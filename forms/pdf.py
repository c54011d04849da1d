"""The procedures' PDFs are rendered here by WeasyPrint, in French (each room has its templates)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from atlas_pages.core.pdf_brand import FONT_FAMILY, brand_css


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    with translation.override(settings.LANGUAGE_CODE):
        brand = {"brand_css": brand_css(), "font_family": FONT_FAMILY}  # Marianne and the logo block
        html = render_to_string(template, {**context, **brand, "generated_at": timezone.localtime()})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
