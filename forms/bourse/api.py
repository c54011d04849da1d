"""Bourse-projets census in the API: embassies record entries, staff moderate, French authorities
express interest, and each entry's managers see the French authorities it could suit."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from atlas_pages.core.auth import member, member_auth
from atlas_pages.core.paging import Paging
from atlas_pages.core.schemas import InputSchema
from atlas_pages.models import BourseProject
from forms.bourse import services as bourse
from forms.history_api import HistoryEventOut, events_out

router = Router(tags=["Bourse-projets census"])


class EntryIn(InputSchema):
    title: str = ""
    partner_name: str = Field("", description="The foreign local authority (created in the embassy's country)")
    theme: str = Field("", description="Sector (theme slug)")
    description: str = ""
    expected_partnership: str = ""
    contact: str = ""


class EntryPatch(InputSchema):
    title: str | None = None
    partner_name: str | None = None
    theme: str | None = None
    description: str | None = None
    expected_partnership: str | None = None
    contact: str | None = None


class InterestOut(Schema):
    id: int
    authority: str
    authority_code: str
    message: str
    created_at: datetime


class EntryOut(Schema):
    id: int
    title: str
    partner_authority: str
    country: str = Field(description="ISO code")
    theme: str
    theme_label: str
    description: str
    expected_partnership: str
    contact: str
    status: str = Field(description="open, in_contact, matched or closed")
    status_label: str
    moderation: str = Field(description="pending, published or rejected")
    moderation_reason: str
    matched_authority: str | None = Field(None, description="Official code of the French partner")
    atlas_project_id: int | None
    recorded_at: datetime
    manage: bool = Field(description="The caller manages the entry (its embassy, or staff)")
    interests: list[InterestOut] = Field(description="All for its managers; my authority's for the others")


class EntryListOut(Schema):
    count: int
    items: list[EntryOut]


class ModerationIn(InputSchema):
    decision: Literal["publish", "reject"]
    reason: str = ""


class StatusIn(InputSchema):
    status: str
    matched_authority: str = Field("", description="Official code of the French partner, for matched")


class InterestIn(InputSchema):
    message: str = ""


class SuggestionOut(Schema):
    authority: str
    authority_code: str
    score: int
    projects_in_country: int
    projects_in_sector: int
    projects_in_both: int
    already_interested: bool
    reasons: list[str]


class AtlasProjectOut(Schema):
    project_id: int
    title: str


class EntryQuery(InputSchema):
    moderation: Literal["pending", "published", "rejected"] | None = None
    status: Literal["open", "in_contact", "matched", "closed"] | None = None


def _out(request: HttpRequest, item: BourseProject) -> dict:
    return {
        "id": item.pk,
        "title": item.title,
        "partner_authority": item.partner_authority.name,
        "country": item.country.iso2,
        "theme": item.theme.slug,
        "theme_label": str(item.theme.label),
        "description": item.description,
        "expected_partnership": item.expected_partnership,
        "contact": item.contact,
        "status": item.status,
        "status_label": str(item.get_status_display()),
        "moderation": item.moderation,
        "moderation_reason": item.moderation_reason,
        "matched_authority": item.matched_authority.code if item.matched_authority else None,
        "atlas_project_id": item.atlas_project_id,
        "recorded_at": item.recorded_at,
        "manage": bourse.manages(request.user, item),
        "interests": [
            {
                "id": interest.pk,
                "authority": interest.authority.name,
                "authority_code": interest.authority.code,
                "message": interest.message,
                "created_at": interest.created_at,
            }
            for interest in bourse.interests(request.user, item)
        ],
    }


@router.get("/bourse/entries/", response=EntryListOut, summary="Entries I manage", auth=member_auth)
def list_entries(request: HttpRequest, filters: Query[EntryQuery], paging: Query[Paging]):
    """An embassy's country's entries, whatever their moderation; every entry for staff; none
    for others (the published ones are at ``/api/bourse/projects/``)."""
    queryset = bourse.managed(member(request)).prefetch_related("interests__authority")
    if filters.moderation:
        queryset = queryset.filter(moderation=filters.moderation)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    items = list(queryset[paging.offset : paging.offset + paging.limit])
    return {"count": queryset.count(), "items": [_out(request, item) for item in items]}


@router.post("/bourse/entries/", response={201: EntryOut}, summary="Record an entry (embassy)", auth=member_auth)
def record_entry(request: HttpRequest, payload: EntryIn):
    """Published on the Bourse map once staff accept it."""
    return Status(201, _out(request, bourse.record(member(request), payload.dict())))


@router.get("/bourse/entries/{entry_id}/", response=EntryOut, summary="An entry", auth=member_auth)
def get_entry(request: HttpRequest, entry_id: int):
    return _out(request, bourse.entry(member(request), entry_id))


@router.patch("/bourse/entries/{entry_id}/", response=EntryOut, summary="Correct an entry", auth=member_auth)
def edit_entry(request: HttpRequest, entry_id: int, payload: EntryPatch):
    """A rejected entry goes back to moderation."""
    return _out(request, bourse.edit(member(request), entry_id, payload.dict(exclude_unset=True)))


@router.post(
    "/bourse/entries/{entry_id}/moderation", response=EntryOut, summary="Publish or reject (staff)", auth=member_auth
)
def moderate_entry(request: HttpRequest, entry_id: int, payload: ModerationIn):
    return _out(request, bourse.moderate(member(request), entry_id, payload.decision, payload.reason))


@router.post(
    "/bourse/entries/{entry_id}/status", response=EntryOut, summary="Move along the life cycle", auth=member_auth
)
def set_status(request: HttpRequest, entry_id: int, payload: StatusIn):
    """open → in_contact → matched (naming the French partner) → closed; by the embassy or staff."""
    return _out(request, bourse.set_status(member(request), entry_id, payload.status, payload.matched_authority))


@router.post(
    "/bourse/entries/{entry_id}/interest",
    response={201: InterestOut},
    summary="Express my authority's interest",
    auth=member_auth,
)
def express_interest(request: HttpRequest, entry_id: int, payload: InterestIn):
    """The embassy is told (with my name and e-mail); an open entry is then in contact."""
    interest = bourse.express_interest(member(request), entry_id, payload.message)
    return Status(
        201,
        {
            "id": interest.pk,
            "authority": interest.authority.name,
            "authority_code": interest.authority.code,
            "message": interest.message,
            "created_at": interest.created_at,
        },
    )


@router.get(
    "/bourse/entries/{entry_id}/suggestions",
    response=list[SuggestionOut],
    summary="French authorities this entry could suit",
    auth=member_auth,
)
def suggestions(request: HttpRequest, entry_id: int):
    """Ranked by 3 points per Atlas project in the country and the sector, 2 per other project in
    the country, 1 per other project in the sector; each with its reasons."""
    return [
        {
            "authority": found.authority.name,
            "authority_code": found.authority.code,
            "score": found.score,
            "projects_in_country": found.in_country,
            "projects_in_sector": found.on_theme,
            "projects_in_both": found.both,
            "already_interested": found.interested,
            "reasons": found.reasons,
        }
        for found in bourse.suggestions(member(request), entry_id)
    ]


@router.post(
    "/bourse/entries/{entry_id}/atlas-project",
    response={201: AtlasProjectOut},
    summary="Turn a matched entry into an Atlas project (staff)",
    auth=member_auth,
)
def to_atlas_project(request: HttpRequest, entry_id: int):
    project = bourse.to_atlas_project(member(request), entry_id)
    return Status(201, {"project_id": project.pk, "title": project.title})


@router.get(
    "/bourse/entries/{entry_id}/history/",
    response=list[HistoryEventOut],
    summary="Who did what to the entry (its managers)",
    description="Actions: recorded, edited, published, rejected, status, interest, atlas.",
    auth=member_auth,
)
def entry_history(request: HttpRequest, entry_id: int):
    return events_out(bourse.history(member(request), entry_id))
