"""Online updates of the Atlas in the API: a local authority or an embassy proposes, staff moderate."""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from atlas_pages.core.auth import member, member_auth
from atlas_pages.core.paging import Paging
from atlas_pages.core.schemas import InputSchema
from forms.atlas_updates import services as atlas_updates
from forms.atlas_updates.models import AtlasUpdate

router = Router(tags=["Atlas updates"])


class ChangesIn(InputSchema):
    """Only the values given are proposed (for a change); a new project needs title, country,
    start_year and french_authorities (a local authority's own by default)."""

    title: str | None = None
    kind: str | None = Field(None, description="project or twinning")
    status: str | None = Field(None, description="planned, ongoing or completed")
    country: str | None = Field(None, description="ISO code")
    start_year: int | str | None = None
    end_year: int | str | None = None
    budget: str | int | float | None = Field(None, description="EUR")
    description: str | None = None
    contact: str | None = None
    themes: list[str] | None = Field(None, max_length=20, description="Theme slugs")
    french_authorities: list[str] | None = Field(None, max_length=50, description="Official codes")
    partner_authorities: list[str] | None = Field(
        None, max_length=50, description="Names (created in the project's country)"
    )


class ProposalIn(InputSchema):
    kind: Literal["new", "edit", "end"]
    project_id: int | None = Field(None, description="For edit and end")
    changes: ChangesIn = Field(default_factory=ChangesIn)  # type: ignore[arg-type]  # ninja types Field loosely
    comment: str = ""


class DifferenceOut(Schema):
    field: str
    label: str
    before: str
    after: str


class UpdateOut(Schema):
    id: int
    reference: str
    kind: str = Field(description="new, edit or end")
    kind_label: str
    state: str = Field(description="pending, accepted, rejected or withdrawn")
    state_label: str
    project_id: int | None
    project_title: str
    proposed_by: str
    proposer_group: str = Field(description="The actor group the proposal was made for (its slug)")
    proposer_group_label: str
    proposer_organisation: str
    created_at: datetime
    comment: str
    moderated_at: datetime | None
    reason: str
    changes: dict[str, Any] = Field(description="The values proposed")
    differences: list[DifferenceOut]


class UpdateListOut(Schema):
    count: int
    items: list[UpdateOut]


class AcceptIn(InputSchema):
    override: bool = Field(False, description="Accept even if the project changed since the proposal")


class RejectIn(InputSchema):
    reason: str = ""


class UpdateQuery(InputSchema):
    state: Literal["pending", "accepted", "rejected", "withdrawn"] | None = None
    project: int | None = None


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


def _out(items: list[AtlasUpdate]) -> list[dict]:
    differences = atlas_updates.diff(items)
    return [
        {
            "id": item.pk,
            "reference": item.reference,
            "kind": item.kind,
            "kind_label": str(item.get_kind_display()),
            "state": item.state,
            "state_label": str(item.get_state_display()),
            "project_id": item.project_id,
            "project_title": item.project_title,
            "proposed_by": _name(item.proposed_by),
            "proposer_group": item.proposer_group,
            "proposer_group_label": str(item.get_proposer_group_display()),
            "proposer_organisation": item.proposer_organisation,
            "created_at": item.created_at,
            "comment": item.comment,
            "moderated_at": item.moderated_at,
            "reason": item.reason,
            "changes": item.changes,
            "differences": [vars(difference) for difference in differences[item.pk]],
        }
        for item in items
    ]


@router.get("/atlas/updates/", response=UpdateListOut, summary="Proposed updates of the Atlas", auth=member_auth)
def list_updates(request: HttpRequest, filters: Query[UpdateQuery], paging: Query[Paging]):
    """Mine and my authority's (or embassy's); every proposal for staff. ``?project=`` with
    ``?state=accepted`` is the project's history of who changed what."""
    queryset = atlas_updates.visible(member(request))
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.project:
        queryset = queryset.filter(project_id=filters.project)
    items = list(queryset[paging.offset : paging.offset + paging.limit])
    return {"count": queryset.count(), "items": _out(items)}


@router.post("/atlas/updates/", response={201: UpdateOut}, summary="Propose an update", auth=member_auth)
def propose(request: HttpRequest, payload: ProposalIn):
    """Local authorities for their projects, embassies for their country's; 422 names each faulty value."""
    changes = payload.changes.dict(exclude_unset=True)
    item = atlas_updates.propose(member(request), payload.kind, changes, payload.project_id, payload.comment)
    return Status(201, _out([atlas_updates.update(member(request), item.pk)])[0])


@router.get("/atlas/updates/{update_id}/", response=UpdateOut, summary="A proposal and its diff", auth=member_auth)
def get_update(request: HttpRequest, update_id: int):
    return _out([atlas_updates.update(member(request), update_id)])[0]


@router.post(
    "/atlas/updates/{update_id}/withdraw", response=UpdateOut, summary="Withdraw my proposal", auth=member_auth
)
def withdraw(request: HttpRequest, update_id: int):
    return _out([atlas_updates.withdraw(member(request), update_id)])[0]


@router.post("/atlas/updates/{update_id}/accept", response=UpdateOut, summary="Accept (staff)", auth=member_auth)
def accept(request: HttpRequest, update_id: int, payload: AcceptIn):
    """Updates the Atlas; 409 if the project's same values changed since the proposal (unless ``override``)."""
    return _out([atlas_updates.accept(member(request), update_id, payload.override)])[0]


@router.post("/atlas/updates/{update_id}/reject", response=UpdateOut, summary="Reject (staff)", auth=member_auth)
def reject(request: HttpRequest, update_id: int, payload: RejectIn):
    return _out([atlas_updates.reject(member(request), update_id, payload.reason)])[0]
