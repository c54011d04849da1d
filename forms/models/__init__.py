"""The teleprocedures' models: co-financing dossiers (``dossiers``) and the e-APD declaration
(``apd``)."""

from forms.models.apd import MARKERS, ApdCampaign, ApdDeclaration, ApdEvent, ApdLine
from forms.models.atlas_updates import AtlasUpdate
from forms.models.bourse import BourseEvent, BourseInterest
from forms.models.dossiers import (  # noqa: F401 (_attachment_path: named by migration 0003)
    BudgetLine,
    CallForProjectsIndexPage,
    CallForProjectsPage,
    Dossier,
    DossierAttachment,
    DossierContact,
    DossierEvent,
    DossierMessage,
    Opinion,
    RequiredOpinion,
    _attachment_path,
)

__all__ = [
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
    "DossierMessage",
    "Opinion",
    "RequiredOpinion",
]
