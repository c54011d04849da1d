"""The receipt of an e-APD declaration as a PDF."""

from forms.pdf import render_pdf


def apd_receipt_pdf(declaration, lines, totals) -> bytes:
    """The acknowledgement of an e-APD declaration: what was submitted, when and by whom."""
    return render_pdf("cncd_forms/pdf/apd_receipt.html", {"declaration": declaration, "lines": lines, "totals": totals})
