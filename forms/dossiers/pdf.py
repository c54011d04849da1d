"""The dossier as a PDF (every field, the budget, the opinions the reader may read, the
history) and the decision letter."""

from forms.dossiers import questions
from forms.dossiers.models import Dossier
from forms.pdf import render_pdf


def dossier_pdf(dossier: Dossier, *, lines, totals, opinions, events, documents, staff_copy: bool) -> bytes:
    """``opinions`` and ``events`` are those the reader may read: the staff's copy has the
    confidential ones, the others do not. The answers to the call's questions are in it."""
    return render_pdf(
        "cncd_forms/pdf/dossier.html",
        {
            "dossier": dossier,
            "lines": lines,
            "totals": totals,
            "opinions": opinions,
            "events": events,
            "documents": documents,
            "answers": questions.answered(dossier),
            "staff_copy": staff_copy,
        },
    )


def decision_letter_pdf(dossier: Dossier, requested) -> bytes:
    return render_pdf("cncd_forms/pdf/decision_letter.html", {"dossier": dossier, "requested": requested})


def agreement_pdf(dossier: Dossier, agreement) -> bytes:
    """The agreement: grant, conditions, schedule of payments with where each stands, reports due,
    the online signatures and, once closed, the amounts spent and to recover."""
    from forms.dossiers import followup

    tranches = list(agreement.tranches.all())
    return render_pdf(
        "cncd_forms/pdf/agreement.html",
        {
            "dossier": dossier,
            "agreement": agreement,
            "tranches": tranches,
            "reports": list(agreement.reports.all()),
            "totals": followup.totals(agreement, tranches),
        },
    )
