"""The teleprocedures' models: co-financing dossiers (``dossiers``) and the e-APD declaration
(``apd``)."""

from forms.apd.models import MARKERS, ApdCampaign, ApdDeclaration, ApdEvent, ApdLine
from forms.atlas_updates.models import AtlasUpdate
from forms.bourse.models import BourseEvent, BourseInterest
from forms.dossiers.models import (  # noqa: F401 (_attachment_path: named by migration 0003)
    Agreement,
    BudgetLine,
    CallForProjectsIndexPage,
    CallForProjectsPage,
    Dossier,
    DossierAttachment,
    DossierContact,
    DossierEvent,
    DossierLabel,
    DossierMessage,
    DossierNote,
    DueReport,
    Opinion,
    PaymentTranche,
    RequiredOpinion,
    _attachment_path,
)

__all__ = [
    "Agreement",
    "DueReport",
    "PaymentTranche",
    "MARKERS",
    "ApdCampaign",
    "ApdDeclaration",
    "ApdEvent",
    "ApdLine",
    "AtlasUpdate",
    "BourseEvent",
    "BourseInterest",
    "BudgetLine",
    "CallForProjectsIndexPage",
    "CallForProjectsPage",
    "Dossier",
    "DossierAttachment",
    "DossierContact",
    "DossierEvent",
    "DossierLabel",
    "DossierMessage",
    "DossierNote",
    "Opinion",
    "RequiredOpinion",
]
