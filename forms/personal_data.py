"""The teleprocedures' part of a member's personal data (RGPD): what the download holds, and
what happens to it when the account is deleted.

What the procedures keep is a record of public funding and declarations, which the CNCD must
keep (a legal obligation and a task in the public interest): deleting an account does not
delete dossiers, declarations or opinions. Their link to the account is emptied by the database
(``SET_NULL``); the names in the chained histories stay, as the record of who did what; the
messages the member wrote are signed "Deleted account".
"""

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils.translation import gettext

from forms.apd.models import ApdDeclaration
from forms.atlas_updates.models import AtlasUpdate
from forms.bourse.models import BourseInterest
from forms.dossiers.models import Dossier, DossierAttachment, DossierMessage, Opinion, Review


def _when(value) -> str | None:
    return value.isoformat() if value else None


def export(user: User) -> dict:
    """Everything the teleprocedures hold that the member wrote or filed (one query per kind)."""
    from atlas_pages.models import BourseProject

    return {
        "dossiers": [
            {
                "reference": item.reference,
                "title": item.title,
                "state": item.state,
                "call": item.call.title,
                "created_at": _when(item.created_at),
                "filed_at": _when(item.filed_at),
                "answers": item.answers,
            }
            for item in Dossier.objects.filter(created_by=user).select_related("call").order_by("created_at")
        ],
        "opinions": [
            {
                "dossier": item.dossier.reference,
                "body": item.body,
                "verdict": item.verdict,
                "text": item.text,
                "confidential": item.confidential,
                "given_at": _when(item.given_at),
            }
            for item in Opinion.objects.filter(given_by=user).select_related("dossier").order_by("given_at")
        ],
        "dossier_reviews": [
            {
                "dossier": item.dossier.reference,
                "for": item.body,
                "scores": {score.criterion.label: score.score for score in item.scores.all()},
                "total": str(item.total),
                "comment": item.comment,
                "given_at": _when(item.given_at),
            }
            for item in Review.objects.filter(reviewer=user)
            .select_related("dossier")
            .prefetch_related("scores__criterion")
            .order_by("given_at")
        ],
        "followed_dossiers": [
            {"dossier": item.reference or "", "title": item.title}
            for item in Dossier.objects.filter(followers=user).order_by("pk")
        ],
        "dossier_messages": [
            {"dossier": item.dossier.reference, "body": item.body, "sent_at": _when(item.sent_at)}
            for item in DossierMessage.objects.filter(author=user).select_related("dossier").order_by("sent_at")
        ],
        "dossier_documents": [
            {"dossier": item.dossier.reference, "name": item.name, "label": item.label}
            for item in DossierAttachment.objects.filter(uploaded_by=user).select_related("dossier").order_by("pk")
        ],
        "apd_declarations": [
            {
                "year": item.campaign.year,
                "authority": item.authority.code,
                "state": item.state,
                "submitted_at": _when(item.submitted_at),
            }
            for item in ApdDeclaration.objects.filter(Q(created_by=user) | Q(submitted_by=user))
            .select_related("campaign", "authority")
            .order_by("campaign__year")
        ],
        "atlas_updates": [
            {
                "kind": item.kind,
                "project": item.project_title,
                "state": item.state,
                "changes": item.changes,
                "comment": item.comment,
                "proposed_at": _when(item.created_at),
            }
            for item in AtlasUpdate.objects.filter(proposed_by=user).order_by("created_at")
        ],
        "bourse_entries": [
            {"title": item.title, "country": item.country.iso2, "status": item.status}
            for item in BourseProject.objects.filter(recorded_by=user).select_related("country").order_by("pk")
        ],
        "bourse_interests": [
            {"entry": item.entry.title, "message": item.message, "expressed_at": _when(item.created_at)}
            for item in BourseInterest.objects.filter(user=user).select_related("entry").order_by("created_at")
        ],
    }


def before_deletion(user: User) -> None:
    DossierMessage.objects.filter(author=user).update(author_name=gettext("Deleted account"))


#: How each place of the teleprocedures that names an account or an address is covered.
COVERAGE = {
    "cncd_forms.Dossier.created_by": "export: dossiers; deletion: kept, unlinked",
    "cncd_forms.Dossier.decided_by": "staff's decision, kept; deletion: unlinked",
    "cncd_forms.Dossier.assigned_to": "staff's instruction, kept; deletion: unlinked",
    "cncd_forms.Dossier.followers": "export: followed_dossiers; deletion: the following goes with the account",
    "cncd_forms.DossierNote.author": "staff's private note, kept with the author's name; deletion: unlinked",
    "cncd_forms.DossierEvent.actor": "the chained history keeps the name; deletion: unlinked",
    "cncd_forms.DossierContact.email": "a contact the authority named in its dossier, not an account",
    "cncd_forms.Opinion.requested_by": "staff's request, kept; deletion: unlinked",
    "cncd_forms.Opinion.given_by": "export: opinions; deletion: kept, unlinked",
    "cncd_forms.Review.reviewer": "export: dossier_reviews; deletion: kept with the reviewer's name, unlinked",
    "cncd_forms.DossierAttachment.uploaded_by": "export: dossier_documents; deletion: kept, unlinked",
    "cncd_forms.DossierMessage.author": "export: dossier_messages; deletion: signed “Deleted account”",
    "cncd_forms.ApdDeclaration.created_by": "export: apd_declarations; deletion: kept, unlinked",
    "cncd_forms.ApdDeclaration.submitted_by": "export: apd_declarations; deletion: kept, unlinked",
    "cncd_forms.ApdEvent.actor": "history of the declaration; deletion: unlinked",
    "cncd_forms.AtlasUpdate.proposed_by": "export: atlas_updates; deletion: kept, unlinked",
    "cncd_forms.AtlasUpdate.moderated_by": "staff's moderation, kept; deletion: unlinked",
    "cncd_forms.BourseInterest.user": "export: bourse_interests; deletion: kept, unlinked",
    "cncd_forms.BourseEvent.actor": "history of the census entry; deletion: unlinked",
    "atlas_pages.BourseProject.recorded_by": "export: bourse_entries; deletion: kept, unlinked",
}
