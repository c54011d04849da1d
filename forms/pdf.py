"""The dossier as a PDF (every field, the budget, the opinions the reader may read, the
history) and the decision letter, rendered by WeasyPrint in French."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from forms.models import Dossier


def _render(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, {**context, "generated_at": timezone.localtime()})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def dossier_pdf(dossier: Dossier, *, lines, totals, opinions, events, documents, staff_copy: bool) -> bytes:
    """``opinions`` and ``events`` are those the reader may read: the staff's copy has the
    confidential ones, the others do not."""
    return _render(
        "cncd_forms/pdf/dossier.html",
        {
            "dossier": dossier,
            "lines": lines,
            "totals": totals,
            "opinions": opinions,
            "events": events,
            "documents": documents,
            "staff_copy": staff_copy,
        },
    )


def decision_letter_pdf(dossier: Dossier, requested) -> bytes:
    return _render("cncd_forms/pdf/decision_letter.html", {"dossier": dossier, "requested": requested})


def apd_receipt_pdf(declaration, lines, totals) -> bytes:
    """The acknowledgement of an e-APD declaration: what was submitted, when and by whom."""
    return _render("cncd_forms/pdf/apd_receipt.html", {"declaration": declaration, "lines": lines, "totals": totals})
