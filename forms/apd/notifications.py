"""The e-mails of the e-APD declaration (see ``forms.notifications``)."""

from django.urls import reverse

from atlas_pages.core.links import site_url
from forms.apd.models import ApdDeclaration
from forms.notifications import authority_members, tell

CONTEXT = "forms.apd.notifications.context"


def declaration_url(declaration: ApdDeclaration) -> str:
    return site_url(reverse("cncd_forms:apd_declaration", args=[declaration.pk]))


def context(declaration_id: int, receipt: bool = False) -> dict:
    """What the messages say, read when they are sent; the receipt attached if asked."""
    declaration = ApdDeclaration.objects.select_related("campaign", "authority").get(pk=declaration_id)
    attachments = []
    if receipt and declaration.receipt:
        with declaration.receipt.open("rb") as handle:
            attachments.append((f"{declaration.reference}.pdf", handle.read(), "application/pdf"))
    return {"declaration": declaration, "url": declaration_url(declaration), "attachments": attachments}


def _queue(template: str, declaration: ApdDeclaration, receipt: bool = False) -> None:
    recipients = set(authority_members(declaration))
    if declaration.submitted_by and declaration.submitted_by.is_active and declaration.submitted_by.email:
        recipients.add(declaration.submitted_by.email)
    tell(template, recipients, CONTEXT, declaration_id=declaration.pk, receipt=receipt)


def apd_submitted(declaration: ApdDeclaration) -> None:
    """The acknowledgement, with the receipt attached, to the authority's members."""
    _queue("apd_submitted", declaration, receipt=True)


def apd_correction_requested(declaration: ApdDeclaration) -> None:
    _queue("apd_correction", declaration)
