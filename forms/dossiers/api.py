"""Teleprocedures in the API: calls for projects and co-financing dossiers.

Every change of a dossier carries the ``version`` the caller read: if someone changed the
dossier since, the answer is 409 and nothing is overwritten.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from pydantic import StringConstraints

from atlas_pages.atlas import services as atlas_services
from atlas_pages.core.auth import any_caller, member, member_auth
from atlas_pages.core.exceptions import Forbidden
from atlas_pages.core.paging import Paging
from atlas_pages.core.schemas import InputSchema
from forms.dossiers import instruction, mutualisation, questions, scoring, services
from forms.dossiers.models import CallForProjectsPage, Dossier

router = Router(tags=["teleprocedures"])


class RequiredOpinionOut(Schema):
    body: str = Field(description="ambassades, prefectures or ministeres-operateurs")
    label: str
    days: int


class QuestionOut(Schema):
    name: str = Field(description="The key of its answer in a dossier's ``answers``")
    label: str
    type: str = Field(
        description="singleline, multiline, number, dropdown, radio, checkboxes (a list), date (ISO) or file "
        "(answered by a document: POST .../attachments/ with ``question``)"
    )
    required: bool = Field(description="Required to file the dossier")
    choices: list[str] = Field(description="For dropdown, radio and checkboxes")
    help_text: str


class CriterionOut(Schema):
    id: int
    label: str
    description: str
    weight: int
    scale: int = Field(description="Scored from 0 to this")


class CallOut(Schema):
    id: int
    title: str
    url: str
    kind: str = Field(description="annual or triennial")
    intro: str
    status: str = Field(description="upcoming, open or closed")
    opens_at: datetime
    closes_at: datetime
    budget_envelope: Decimal
    max_share: int = Field(description="Largest share of a project's budget the State may fund (%)")
    eligible_countries: list[str] = Field(description="ISO codes; empty: every country")
    eligible_themes: list[str] = Field(description="Theme slugs; empty: every theme")
    required_opinions: list[RequiredOpinionOut]
    questions: list[QuestionOut] = Field(description="The call's own questions, answered in each dossier")
    review_grid: list[CriterionOut] = Field(description="The criteria each reviewer scores")
    review_bodies: list[str] = Field(description="The bodies invited to score, besides staff")


class CallListOut(Schema):
    count: int
    items: list[CallOut]


def _call_out(request: HttpRequest, page: CallForProjectsPage) -> dict:
    return {
        "id": page.pk,
        "title": page.title,
        "url": page.get_url(request) or "",
        "kind": page.kind,
        "intro": page.intro,
        "status": page.status,
        "opens_at": page.opens_at,
        "closes_at": page.closes_at,
        "budget_envelope": page.budget_envelope,
        "max_share": page.max_share,
        "eligible_countries": [country.iso2 for country in page.eligible_countries.all()],
        "eligible_themes": [theme.slug for theme in page.eligible_themes.all()],
        "required_opinions": [
            {"body": item.body, "label": str(item.get_body_display()), "days": item.days}
            for item in page.required_opinions.all()
        ],
        "questions": [
            {
                "name": item.clean_name,
                "label": item.label,
                "type": item.field_type,
                "required": item.required,
                "choices": questions.choices(item) if item.field_type in item.CHOICE_TYPES else [],
                "help_text": item.help_text,
            }
            for item in page.questions.all()
        ],
        "review_grid": list(page.criteria.all()),
        "review_bodies": [item.body for item in page.review_bodies.all()],
    }


@router.get("/calls/", response=CallListOut, summary="Calls for projects", auth=any_caller)
def list_calls(request: HttpRequest, paging: Query[Paging]):
    queryset = services.calls().prefetch_related(
        "eligible_countries", "eligible_themes", "required_opinions", "questions", "criteria", "review_bodies"
    )
    page = list(queryset[paging.offset : paging.offset + paging.limit])
    return {"count": queryset.count(), "items": [_call_out(request, item) for item in page]}


@router.get("/calls/{call_id}/", response=CallOut, summary="A call for projects", auth=any_caller)
def get_call(request: HttpRequest, call_id: int):
    return _call_out(request, services.call(call_id))


# --- dossiers ---------------------------------------------------------------------------------


#: How many items a dossier's lists take at most (a 422 naming the list beyond).
MAX_BUDGET_LINES, MAX_CONTACTS, MAX_THEMES, MAX_QUESTIONS = 200, 20, 20, 200


class BudgetLineIn(InputSchema):
    kind: str = Field(max_length=10, description="expense or resource")
    year: int = Field(1, description="Year of the project: 1, 2 or 3")
    label: str = Field(max_length=255)
    source: str = Field("", max_length=10, description="For a resource: requested, own, partner, public or private")
    amount: str | int | float = Field(description="Euros, at most two decimals")


class ContactIn(InputSchema):
    name: str = Field(max_length=255)
    role: str = Field("", max_length=255)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)


AnswerText = Annotated[str, StringConstraints(max_length=questions.TEXT_LIMIT)]
QuestionName = Annotated[str, StringConstraints(max_length=255)]


class DossierContentIn(InputSchema):
    """Only the fields sent change; budget and contacts, when sent, replace the lists."""

    title: str | None = Field(None, max_length=255)
    partner_name: str | None = Field(None, max_length=255)
    partner_country: str | None = Field(None, max_length=2, description="ISO 3166 alpha-2 code")
    themes: list[str] | None = Field(None, max_length=MAX_THEMES, description="Theme slugs")
    description: str | None = Field(None, max_length=10000)
    objectives: str | None = Field(None, max_length=5000)
    start_year: int | None = None
    duration_years: int | None = Field(None, description="1 to 3 (at most 1 for an annual call)")
    budget: list[BudgetLineIn] | None = Field(None, max_length=MAX_BUDGET_LINES)
    contacts: list[ContactIn] | None = Field(None, max_length=MAX_CONTACTS)
    answers: (
        dict[QuestionName, AnswerText | int | float | list[Annotated[str, StringConstraints(max_length=255)]] | None]
        | None
    ) = Field(
        None,
        max_length=MAX_QUESTIONS,
        description="Answers to the call's questions by name (a list for checkboxes, null to clear); the ones "
        "sent change",
    )


class DossierCreateIn(DossierContentIn):
    call_id: int


class DossierUpdateIn(DossierContentIn):
    version: int = Field(description="The version you read; 409 if the dossier changed since")


class VersionIn(InputSchema):
    version: int


class DossierReasonIn(VersionIn):
    reason: str = Field(max_length=5000)


class DecisionIn(VersionIn):
    decision: Literal["accepted", "refused", "closed"]
    motivation: str = Field(max_length=5000)


class BudgetLineOut(Schema):
    kind: str
    year: int
    label: str
    source: str
    amount: Decimal


class BudgetOut(Schema):
    lines: list[BudgetLineOut]
    expenses: Decimal
    resources: Decimal
    requested: Decimal
    balanced: bool


class DossierContactOut(Schema):
    name: str
    role: str
    email: str
    phone: str


class DossierNamedOut(Schema):
    code: str
    name: str


class DossierSummaryOut(Schema):
    id: int
    reference: str
    call_id: int
    call_title: str
    state: str = Field(description="draft, filed, correction, under_review, accepted, refused or closed")
    state_label: str
    version: int
    title: str
    authority: DossierNamedOut
    partner_country: DossierNamedOut | None
    filed_at: datetime | None
    updated_at: datetime
    score: "ScoreSummaryOut | None" = Field(
        None, description="The reviewers' average and spread, once I may read them (reviewers, after my own score)"
    )


class OpinionDocumentOut(Schema):
    id: int
    name: str
    url: str


class OpinionOut(Schema):
    id: int
    body: str = Field(description="ambassades, prefectures or ministeres-operateurs")
    body_label: str
    due_date: date
    overdue: bool
    given: bool
    verdict: str = Field(description="favourable, reserved, unfavourable; empty while awaited")
    verdict_label: str
    text: str
    confidential: bool
    given_at: datetime | None
    documents: list[OpinionDocumentOut]
    question: str = Field(description="The question staff put with the request (to staff and the body asked)")


class AnswerDocumentOut(Schema):
    id: int
    name: str
    url: str


class AnswerOut(Schema):
    name: str
    label: str
    type: str
    required: bool
    value: str | list[str] | None = Field(description="As stored: a number or a date as text, a list for checkboxes")
    text: str = Field(description="As people read it")
    document: AnswerDocumentOut | None


class DossierOut(DossierSummaryOut):
    partner_name: str
    themes: list[str]
    description: str
    objectives: str
    start_year: int | None
    duration_years: int | None
    budget: BudgetOut
    contacts: list[DossierContactOut]
    correction_reason: str
    decision_motivation: str
    decided_at: datetime | None
    can_edit: bool
    waiting_for: list[str] = Field(description="The bodies whose opinion is awaited, overdue ones first")
    opinions: list[OpinionOut] = Field(description="The opinions I may read")
    missing: dict[str, list[str]] = Field(description="What stops the dossier from being filed, by field")
    assigned_to: "PersonOut | None" = Field(
        description="The instructor it is assigned to (staff only; null for others)"
    )
    following: bool = Field(description="Whether I follow it (told of every change by e-mail)")
    labels: list["LabelOut"] = Field(description="The instructors' labels (staff only; empty for others)")
    archived: bool
    atlas_project: "AtlasProjectOut | None" = Field(
        description="The Atlas project of the funded dossier, once moderated"
    )
    atlas_proposal: str = Field(description="The reference of its Atlas update waiting for moderation, if any")
    answers: list[AnswerOut] = Field(description="Each question of the call with its answer")


class PersonOut(Schema):
    id: int
    name: str


class AtlasProjectOut(Schema):
    id: int
    title: str
    url: str


class LabelOut(Schema):
    id: int
    name: str
    description: str


class DossierListOut(Schema):
    count: int
    items: list[DossierSummaryOut]


class DossierEventOut(Schema):
    sequence: int
    at: datetime
    by: str
    action: str
    detail: dict
    hash: str


def _opinion_out(opinion, user) -> dict:
    return {
        "question": opinion.question if services.reads_question(user, opinion) else "",
        "id": opinion.pk,
        "body": opinion.body,
        "body_label": str(opinion.get_body_display()),
        "due_date": opinion.due_date,
        "overdue": opinion.is_overdue,
        "given": opinion.is_given,
        "verdict": opinion.verdict,
        "verdict_label": str(opinion.get_verdict_display()) if opinion.verdict else "",
        "text": opinion.text,
        "confidential": opinion.confidential,
        "given_at": opinion.given_at,
        "documents": [
            {"id": item.pk, "name": item.name, "url": f"/api/dossiers/{opinion.dossier_id}/attachments/{item.pk}/file"}
            for item in opinion.attachments.all()
        ],
    }


def _summary(item: Dossier, score=None) -> dict:
    return {
        "score": vars(score) if score is not None else None,
        "id": item.pk,
        "reference": item.reference or "",
        "call_id": item.call_id,
        "call_title": item.call.title,
        "state": item.state,
        "state_label": str(item.get_state_display()),
        "version": item.version,
        "title": item.title,
        "authority": {"code": item.authority.code, "name": item.authority.name},
        "partner_country": {"code": item.partner_country.iso2, "name": item.partner_country.name}
        if item.partner_country
        else None,
        "filed_at": item.filed_at,
        "updated_at": item.updated_at,
    }


def _detail(request: HttpRequest, item: Dossier) -> dict:
    lines = list(item.budget_lines.all())
    totals = services.budget_totals(lines)
    return {
        **_summary(item, scoring.summaries(member(request), [item]).get(item.pk)),
        "partner_name": item.partner_name,
        "themes": [theme.slug for theme in item.themes.all()],
        "description": item.description,
        "objectives": item.objectives,
        "start_year": item.start_year,
        "duration_years": item.duration_years,
        "budget": {
            "lines": lines,
            "expenses": totals.expenses,
            "resources": totals.resources,
            "requested": totals.requested,
            "balanced": bool(totals.expenses) and totals.expenses == totals.resources,
        },
        "contacts": list(item.contacts.all()),
        "correction_reason": item.correction_reason,
        "decision_motivation": item.decision_motivation,
        "decided_at": item.decided_at,
        "can_edit": services.can_edit(request.user, item),
        "waiting_for": [opinion.body for opinion in services.waiting_for(item)],
        "opinions": [_opinion_out(opinion, request.user) for opinion in services.visible_opinions(request.user, item)],
        "missing": {name: [str(message) for message in messages] for name, messages in services.missing(item).items()}
        if item.state in (Dossier.State.DRAFT, Dossier.State.CORRECTION)
        else {},
        "assigned_to": _person(item.assigned_to) if request.user.is_staff and item.assigned_to else None,
        "following": instruction.follows(request.user, item),
        "labels": list(item.labels.all()) if request.user.is_staff else [],
        "archived": item.archived_at is not None,
        "atlas_project": {
            "id": item.atlas_project.pk,
            "title": item.atlas_project.title,
            "url": atlas_services.project_url(item.atlas_project.pk),
        }
        if item.atlas_project
        else None,
        "atlas_proposal": services.pending_atlas_proposal(item),
        "answers": [
            {
                **{key: row[key] for key in ("name", "label", "type", "required", "value", "text")},
                "document": {
                    "id": row["document"].pk,
                    "name": row["document"].name,
                    "url": f"/api/dossiers/{item.pk}/attachments/{row['document'].pk}/file",
                }
                if row["document"]
                else None,
            }
            for row in questions.answered(item)
        ],
    }


def _person(user) -> dict:
    return {"id": user.pk, "name": user.get_full_name() or user.get_username()}


class DossierQuery(InputSchema):
    call: int | None = Field(None, description="Id of a call")
    state: Literal[tuple(Dossier.State.values)] | None = Field(None, description="One of the states")  # type: ignore[valid-type]
    assigned: Literal["me", "none"] | None = Field(None, description="Assigned to me, or to nobody (staff)")
    followed: bool = Field(False, description="Only the dossiers I follow")
    label: int | None = Field(None, description="Id of a label (staff)")
    archived: bool | None = Field(None, description="In or out of the archive; staff's default: out")


@router.get("/dossiers/", response=DossierListOut, summary="The dossiers I may see", auth=member_auth)
def list_dossiers(request: HttpRequest, filters: Query[DossierQuery], paging: Query[Paging]):
    """Mine and my authority's; the filed ones of my country (embassies), of my region
    (prefectures), all filed ones (ministries and operators, staff)."""
    user = member(request)
    queryset = services.dossiers(user, call=filters.call, state=filters.state)
    queryset = instruction.narrowed(
        user,
        queryset,
        assigned=filters.assigned or "",
        followed=filters.followed,
        label=filters.label,
        archived=filters.archived,
    )
    page = list(queryset[paging.offset : paging.offset + paging.limit])
    scores = scoring.summaries(user, page)
    return {"count": queryset.count(), "items": [_summary(item, scores.get(item.pk)) for item in page]}


@router.post("/dossiers/", response={201: DossierOut}, summary="Start a dossier (draft)", auth=member_auth)
def create_dossier(request: HttpRequest, payload: DossierCreateIn):
    """For members of local authorities whose profile names their authority; the call must be
    open. Whatever is given is kept as a draft: nothing is required yet."""
    data = payload.dict(exclude_unset=True)
    call_id = data.pop("call_id")
    created = services.create_dossier(member(request), call_id, data)
    return Status(201, _detail(request, services.dossier(member(request), created.pk)))


@router.get("/dossiers/{dossier_id}/", response=DossierOut, summary="A dossier", auth=member_auth)
def get_dossier(request: HttpRequest, dossier_id: int):
    return _detail(request, services.dossier(member(request), dossier_id))


@router.patch("/dossiers/{dossier_id}/", response=DossierOut, summary="Change a dossier", auth=member_auth)
def update_dossier(request: HttpRequest, dossier_id: int, payload: DossierUpdateIn):
    """A draft or a dossier sent back for correction at any time, a filed one until the call
    closes. 409 when the version is not the current one."""
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return _detail(request, services.update_dossier(member(request), dossier_id, version, data))


@router.post("/dossiers/{dossier_id}/submit/", response=DossierOut, summary="File the dossier", auth=member_auth)
def submit_dossier(request: HttpRequest, dossier_id: int, payload: VersionIn):
    """Everything is checked: each missing or faulty field is named (422) and the draft kept."""
    return _detail(request, services.submit(member(request), dossier_id, payload.version))


@router.post(
    "/dossiers/{dossier_id}/review/", response=DossierOut, summary="Start the review (staff)", auth=member_auth
)
def review_dossier(request: HttpRequest, dossier_id: int, payload: VersionIn):
    return _detail(request, services.start_review(member(request), dossier_id, payload.version))


@router.post(
    "/dossiers/{dossier_id}/send-back/",
    response=DossierOut,
    summary="Send back for correction (staff)",
    auth=member_auth,
)
def send_back_dossier(request: HttpRequest, dossier_id: int, payload: DossierReasonIn):
    return _detail(request, services.send_back(member(request), dossier_id, payload.version, payload.reason))


@router.post("/dossiers/{dossier_id}/decision/", response=DossierOut, summary="Decide (staff)", auth=member_auth)
def decide_dossier(request: HttpRequest, dossier_id: int, payload: DecisionIn):
    """Final: a second decision, or one on a changed version, answers 409."""
    return _detail(
        request, services.decide(member(request), dossier_id, payload.version, payload.decision, payload.motivation)
    )


@router.post(
    "/dossiers/{dossier_id}/reopen/", response=DossierOut, summary="Reopen a decided dossier (staff)", auth=member_auth
)
def reopen_dossier(request: HttpRequest, dossier_id: int, payload: DossierReasonIn):
    return _detail(request, services.reopen(member(request), dossier_id, payload.version, payload.reason))


@router.get(
    "/dossiers/{dossier_id}/history/", response=list[DossierEventOut], summary="The dossier's history", auth=member_auth
)
def dossier_history(request: HttpRequest, dossier_id: int):
    """Who did what and when; each entry carries its hash (the chain is checked by
    ``manage.py check_dossier_history``)."""
    _dossier, entries = services.events(member(request), dossier_id)
    return [
        {
            "sequence": entry.sequence,
            "at": entry.at,
            "by": entry.actor_name,
            "action": entry.action,
            "detail": entry.detail,
            "hash": entry.hash,
        }
        for entry in entries
    ]


# --- filing sees the map ------------------------------------------------------------------------


class NeighbourOut(Schema):
    code: str
    name: str
    projects: int


class BourseNeighbourOut(Schema):
    id: int
    title: str
    partner: str
    theme: str
    status: str


class NeighboursOut(Schema):
    same_partner: list[NeighbourOut] = Field(description="French authorities already cooperating with the partner")
    same_country: list[NeighbourOut] = Field(description="Other French authorities active in the partner country")
    bourse: list[BourseNeighbourOut] = Field(description="Bourse-projets entries of the country seeking a partner")


@router.get(
    "/dossiers/{dossier_id}/atlas-neighbours/",
    response=NeighboursOut,
    summary="What the Atlas holds near the dossier (to coordinate)",
    auth=member_auth,
)
def atlas_neighbours(request: HttpRequest, dossier_id: int):
    """For whoever sees the dossier: the authority as it files, staff as they instruct."""
    return vars(mutualisation.neighbours(services.dossier(member(request), dossier_id)))


# --- the instructors' tools ---------------------------------------------------------------------


class NoteIn(InputSchema):
    text: str = Field(max_length=5000)


class NoteOut(Schema):
    id: int
    by: str
    text: str
    created_at: datetime


class AssigneeIn(InputSchema):
    instructor_id: int | None = Field(description="A staff account's id; null: nobody")


class FollowingOut(Schema):
    following: bool


class LabelsIn(InputSchema):
    label_ids: list[int] = Field(max_length=50, description="Ids of labels staff defined; empty: none")


def _note_out(note) -> dict:
    return {"id": note.pk, "by": note.author_name, "text": note.text, "created_at": note.created_at}


@router.get(
    "/dossiers/{dossier_id}/notes/",
    response=list[NoteOut],
    summary="The instructors' private notes (staff)",
    auth=member_auth,
)
def list_notes(request: HttpRequest, dossier_id: int):
    """Never shown to the authority, the bodies asked for an opinion, in the PDF or the exports."""
    return [_note_out(note) for note in instruction.notes(member(request), dossier_id)]


@router.post(
    "/dossiers/{dossier_id}/notes/",
    response={201: NoteOut},
    summary="Write a private note (staff)",
    auth=member_auth,
)
def add_note(request: HttpRequest, dossier_id: int, payload: NoteIn):
    return Status(201, _note_out(instruction.add_note(member(request), dossier_id, payload.text)))


@router.put(
    "/dossiers/{dossier_id}/assignee/",
    response=DossierOut,
    summary="Assign the dossier to an instructor (staff)",
    auth=member_auth,
)
def assign_dossier(request: HttpRequest, dossier_id: int, payload: AssigneeIn):
    """The instructor follows the dossier from then on; null assigns it to nobody."""
    instruction.assign(member(request), dossier_id, payload.instructor_id)
    return _detail(request, services.dossier(member(request), dossier_id))


@router.put(
    "/dossiers/{dossier_id}/following/",
    response=FollowingOut,
    summary="Follow the dossier (told of every change)",
    auth=member_auth,
)
def follow_dossier(request: HttpRequest, dossier_id: int):
    return {"following": instruction.follow(member(request), dossier_id, True)}


@router.delete(
    "/dossiers/{dossier_id}/following/",
    response=FollowingOut,
    summary="Stop following the dossier",
    auth=member_auth,
)
def unfollow_dossier(request: HttpRequest, dossier_id: int):
    return {"following": instruction.follow(member(request), dossier_id, False)}


@router.get("/dossier-labels/", response=list[LabelOut], summary="The instructors' labels (staff)", auth=member_auth)
def list_labels(request: HttpRequest):
    """Defined by staff in the back office (*Étiquettes des dossiers*)."""
    if not member(request).is_staff:
        raise Forbidden(_("Only the CNCD team uses the dossiers' labels."))
    return instruction.labels()


@router.put(
    "/dossiers/{dossier_id}/labels/", response=DossierOut, summary="Label the dossier (staff)", auth=member_auth
)
def label_dossier(request: HttpRequest, dossier_id: int, payload: LabelsIn):
    instruction.set_labels(member(request), dossier_id, payload.label_ids)
    return _detail(request, services.dossier(member(request), dossier_id))


@router.put(
    "/dossiers/{dossier_id}/archive/",
    response=DossierOut,
    summary="Archive a decided dossier (staff)",
    auth=member_auth,
)
def archive_dossier(request: HttpRequest, dossier_id: int):
    instruction.archive(member(request), dossier_id, True)
    return _detail(request, services.dossier(member(request), dossier_id))


@router.delete(
    "/dossiers/{dossier_id}/archive/",
    response=DossierOut,
    summary="Take it out of the archive (staff)",
    auth=member_auth,
)
def unarchive_dossier(request: HttpRequest, dossier_id: int):
    instruction.archive(member(request), dossier_id, False)
    return _detail(request, services.dossier(member(request), dossier_id))


class OpinionRequestIn(InputSchema):
    bodies: list[str] = Field(
        max_length=10,
        default_factory=list,
        description="ambassades, prefectures, ministeres-operateurs; empty: those the call requires",
    )
    question: str = Field("", max_length=2000, description="A question for the bodies asked, with the request")


class OpinionIn(InputSchema):
    verdict: Literal["favourable", "reserved", "unfavourable"]
    text: str = Field(max_length=10000)
    confidential: bool = False


@router.get(
    "/dossiers/{dossier_id}/opinions/", response=list[OpinionOut], summary="The dossier's opinions", auth=member_auth
)
def list_opinions(request: HttpRequest, dossier_id: int):
    """The ones I may read: confidential opinions go to staff (and to whoever gave them)."""
    item = services.dossier(member(request), dossier_id)
    return [_opinion_out(opinion, request.user) for opinion in services.visible_opinions(member(request), item)]


@router.post(
    "/dossiers/{dossier_id}/opinions/",
    response={201: list[OpinionOut]},
    summary="Ask for opinions (staff)",
    auth=member_auth,
)
def request_opinions(request: HttpRequest, dossier_id: int, payload: OpinionRequestIn):
    """Each body asked is told by e-mail and reminded before the due date; asking twice adds nothing."""
    created = services.request_opinions(member(request), dossier_id, payload.bodies, payload.question)
    return Status(201, [_opinion_out(opinion, request.user) for opinion in created])


@router.delete(
    "/dossiers/{dossier_id}/opinions/{opinion_id}/",
    response={204: None},
    summary="Withdraw a request for an opinion not yet given (staff)",
    auth=member_auth,
)
def revoke_opinion(request: HttpRequest, dossier_id: int, opinion_id: int):
    """The body asked is told; an opinion already given stays (409)."""
    services.revoke_opinion(member(request), dossier_id, opinion_id)
    return Status(204, None)


@router.put(
    "/dossiers/{dossier_id}/opinions/{opinion_id}/",
    response=OpinionOut,
    summary="Give or change my body's opinion",
    auth=member_auth,
)
def give_opinion(request: HttpRequest, dossier_id: int, opinion_id: int, payload: OpinionIn):
    """By the embassy of the partner country, the prefecture of the region, or ministries and
    operators, as asked; until the decision (409 after)."""
    opinion = services.give_opinion(
        member(request), dossier_id, opinion_id, payload.verdict, payload.text, payload.confidential
    )
    return _opinion_out(opinion, request.user)


# --- documents and messages -------------------------------------------------------------------


class AttachmentOut(Schema):
    id: int
    name: str
    label: str
    content_type: str
    size: int
    uploaded_at: datetime
    url: str = Field(description="The file, for those who see the dossier")
    question: str = Field(description="The call's question it answers, if any")


class MessageOut(Schema):
    id: int
    author: str
    from_staff: bool
    body: str
    sent_at: datetime
    attachments: list[AttachmentOut]


def _attachment_out(item) -> dict:
    return {
        "id": item.pk,
        "name": item.name,
        "label": item.label,
        "content_type": item.content_type,
        "size": item.size,
        "uploaded_at": item.uploaded_at,
        "url": f"/api/dossiers/{item.dossier_id}/attachments/{item.pk}/file",
        "question": item.question,
    }


@router.get(
    "/dossiers/{dossier_id}/attachments/",
    response=list[AttachmentOut],
    summary="The dossier's documents",
    auth=member_auth,
)
def list_attachments(request: HttpRequest, dossier_id: int):
    item = services.dossier(member(request), dossier_id)
    return [_attachment_out(attachment) for attachment in services.visible_attachments(member(request), item)]


@router.post(
    "/dossiers/{dossier_id}/attachments/",
    response={201: AttachmentOut},
    summary="Add a document (multipart)",
    auth=member_auth,
)
def add_attachment(
    request: HttpRequest,
    dossier_id: int,
    file: File[UploadedFile],
    label: str = Form("", max_length=255),
    question: str = Form("", max_length=255, description="A document question of the call that it answers"),
):
    """PDF, office documents or images, judged by their content; 10 MB at most (422 naming ``file``).
    Given a ``question``, it answers it and replaces the document that answered it before."""
    attachment = services.add_attachment(member(request), dossier_id, file, label, question)
    return Status(201, _attachment_out(attachment))


@router.get(
    "/dossiers/{dossier_id}/attachments/{attachment_id}/file",
    summary="Download a document",
    auth=member_auth,
    openapi_extra={"responses": {200: {"description": "The document", "content": {"application/octet-stream": {}}}}},
)
def download_attachment(request: HttpRequest, dossier_id: int, attachment_id: int):
    attachment, handle = services.attachment_file(member(request), dossier_id, attachment_id)
    return FileResponse(handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type)


@router.delete(
    "/dossiers/{dossier_id}/attachments/{attachment_id}/",
    response={204: None},
    summary="Remove a document",
    auth=member_auth,
)
def remove_attachment(request: HttpRequest, dossier_id: int, attachment_id: int):
    services.remove_attachment(member(request), dossier_id, attachment_id)
    return Status(204, None)


def _message_out(message) -> dict:
    return {
        "id": message.pk,
        "author": message.author_name,
        "from_staff": message.from_staff,
        "body": message.body,
        "sent_at": message.sent_at,
        "attachments": [_attachment_out(item) for item in message.attachments.all()],
    }


@router.get(
    "/dossiers/{dossier_id}/messages/",
    response=list[MessageOut],
    summary="Messages between the authority and the CNCD team",
    auth=member_auth,
)
def list_messages(request: HttpRequest, dossier_id: int):
    """For the filing authority and staff (403 for the others who see the dossier)."""
    _dossier, messages = services.dossier_messages(member(request), dossier_id)
    return [_message_out(message) for message in messages]


@router.post(
    "/dossiers/{dossier_id}/messages/",
    response={201: MessageOut},
    summary="Write a message (multipart, with a document if need be)",
    auth=member_auth,
)
def send_message(
    request: HttpRequest,
    dossier_id: int,
    body: str = Form(..., max_length=5000),
    file: File[UploadedFile | None] = None,
):
    message = services.send_message(member(request), dossier_id, body, file)
    return Status(201, _message_out(message))


PDF_RESPONSE = {"responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}}


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get("/dossiers/{dossier_id}/pdf", summary="The dossier as a PDF", auth=member_auth, openapi_extra=PDF_RESPONSE)
def dossier_pdf(request: HttpRequest, dossier_id: int):
    """Every field, the budget, the opinions I may read (staff's copy: the confidential ones
    too) and the history."""
    item, content = services.dossier_pdf(member(request), dossier_id)
    return _pdf_response(content, f"dossier-{item.reference}.pdf")


@router.get(
    "/dossiers/{dossier_id}/decision-letter.pdf",
    summary="The decision letter (PDF)",
    auth=member_auth,
    openapi_extra=PDF_RESPONSE,
)
def decision_letter(request: HttpRequest, dossier_id: int):
    """For the filing authority and staff, once the dossier is decided (409 before)."""
    item, content = services.decision_letter(member(request), dossier_id)
    return _pdf_response(content, f"decision-{item.reference}.pdf")


@router.post(
    "/dossiers/{dossier_id}/opinions/{opinion_id}/documents/",
    response={201: AttachmentOut},
    summary="Add a document to my body's opinion, or staff's for the body asked (multipart)",
    auth=member_auth,
)
def add_opinion_document(request: HttpRequest, dossier_id: int, opinion_id: int, file: File[UploadedFile]):
    """By the body asked, until the decision, or by staff with the request; read by whoever may
    read the opinion."""
    attachment = services.add_opinion_document(member(request), dossier_id, opinion_id, file)
    return Status(201, _attachment_out(attachment))


# --- the scored review (forms/dossiers/scoring.py) ------------------------------------------------


class ScoreIn(InputSchema):
    scores: dict[Annotated[str, StringConstraints(max_length=20)], int] = Field(
        max_length=100, description="Criterion id → score, a whole number from 0 to the criterion's scale"
    )
    comment: str = Field("", max_length=scoring.COMMENT_LIMIT)


class CriterionScoreOut(Schema):
    criterion: int
    score: int


class ReviewOut(Schema):
    reviewer: str
    body: str = Field(description="staff, or the body invited")
    scores: list[CriterionScoreOut]
    total: Decimal = Field(description="Weighted score out of 20")
    comment: str
    given_at: datetime


class ScoreSummaryOut(Schema):
    count: int
    average: Decimal | None = Field(description="Average of the reviewers' scores, out of 20")
    spread: Decimal | None = Field(description="Standard deviation of the reviewers' scores")
    lowest: Decimal | None
    highest: Decimal | None


class ScoreSheetOut(Schema):
    criteria: list[CriterionOut]
    reviewer_as: str = Field(description="staff, or the invited body I score for")
    can_score: bool = Field(description="Filed and not yet decided")
    mine: ReviewOut | None
    others: list[ReviewOut] | None = Field(description="Null until I have given my own score")
    summary: ScoreSummaryOut | None = Field(description="Null until I have given my own score")
    hidden: int = Field(description="How many reviews I will read once I have given mine")


def _review_out(review) -> dict:
    return {
        "reviewer": review.reviewer_name,
        "body": review.body,
        "scores": [{"criterion": item.criterion_id, "score": item.score} for item in review.scores.all()],
        "total": review.total,
        "comment": review.comment,
        "given_at": review.given_at,
    }


def _sheet_out(user, item: Dossier) -> dict:
    found = scoring.sheet(user, item)
    if found is None:
        raise Forbidden(_("Staff and the bodies the call invites score its dossiers."))
    return {
        "criteria": found.criteria,
        "reviewer_as": found.reviewer_as,
        "can_score": found.can_score,
        "mine": _review_out(found.own) if found.own else None,
        "others": [_review_out(review) for review in found.others] if found.others is not None else None,
        "summary": vars(found.summary) if found.summary else None,
        "hidden": found.hidden_count,
    }


@router.get(
    "/dossiers/{dossier_id}/scores/",
    response=ScoreSheetOut,
    summary="The review grid of a dossier (reviewers)",
    auth=member_auth,
)
def score_sheet(request: HttpRequest, dossier_id: int):
    """The call's grid and my review; the others' and their average and spread once I have given
    mine (blind until then). For staff and the members of the bodies the call invites."""
    user = member(request)
    return _sheet_out(user, services.dossier(user, dossier_id))


@router.put(
    "/dossiers/{dossier_id}/scores/mine/",
    response=ScoreSheetOut,
    summary="Give or change my scores (reviewers)",
    auth=member_auth,
)
def give_scores(request: HttpRequest, dossier_id: int, payload: ScoreIn):
    """Every criterion of the grid scored (422 naming ``scores.<id>``); until the decision (409 after)."""
    user = member(request)
    scoring.give(user, dossier_id, payload.scores, payload.comment)
    return _sheet_out(user, services.dossier(user, dossier_id))


class RankOut(Schema):
    rank: int
    dossier: DossierSummaryOut
    score: ScoreSummaryOut
    requested: Decimal = Field(description="Requested from the State (EUR)")
    cumulated: Decimal = Field(description="Running total of the requests, best first")
    within_envelope: bool


class RankingOut(Schema):
    budget_envelope: Decimal
    items: list[RankOut]
    hidden: int = Field(description="Scored dossiers left out until I give my own score")


@router.get("/calls/{call_id}/ranking/", response=RankingOut, summary="The ranking of a call (staff)", auth=member_auth)
def call_ranking(request: HttpRequest, call_id: int):
    """The call's scored dossiers, best average first, against its envelope. A dossier is ranked
    for me once I have scored it (or it is decided)."""
    page = services.call(call_id)
    ranks, hidden = scoring.ranking(member(request), page)
    return {
        "budget_envelope": page.budget_envelope,
        "items": [
            {
                "rank": item.rank,
                "dossier": _summary(item.dossier),
                "score": vars(item.summary),
                "requested": item.requested,
                "cumulated": item.cumulated,
                "within_envelope": item.within_envelope,
            }
            for item in ranks
        ],
        "hidden": hidden,
    }
