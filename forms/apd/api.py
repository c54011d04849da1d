"""e-APD in the API: campaigns, a local authority's declaration and its lines, the OECD codes
(checked as the member types), and the staff's progress and exports (CRS CSV, IATI XML)."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from ninja import Field, Query, Router, Schema, Status

from atlas_pages.core.auth import any_caller, member, member_auth
from atlas_pages.core.exceptions import NotFound
from atlas_pages.core.paging import Paging
from atlas_pages.core.schemas import InputSchema
from forms.apd import codelists
from forms.apd import exports as apd_exports
from forms.apd import services as apd
from forms.apd.models import ApdCampaign, ApdDeclaration, ApdLine
from forms.history_api import HistoryEventOut, events_out

router = Router(tags=["e-APD"])

CodeKind = Literal["recipient", "purpose", "aid_type", "channel", "flow_type", "finance_type"]


class CampaignOut(Schema):
    id: int
    year: int = Field(description="The year whose spending is declared")
    status: str = Field(description="upcoming, open or closed")
    opens_at: datetime
    closes_at: datetime
    instructions: str = Field(description="HTML")
    my_declaration: int | None = Field(None, description="The id of my authority's declaration, if it has one")


class CampaignListOut(Schema):
    count: int
    items: list[CampaignOut]


class LineIn(InputSchema):
    """Codes and amounts are checked by the service, which names each faulty field in French."""

    project_id: int | str | None = Field(None, description="One of my authority's Atlas projects")
    title: str = Field("", description="Required unless a project is given")
    description: str = ""
    recipient: str = Field(
        "", description="ISO code on the OECD DAC list, or 998 (unallocated); default: the project's"
    )
    purpose_code: str = Field("", description="5-digit DAC purpose code")
    aid_type: str = "C01"
    channel_code: str = "11002"
    flow_type: str = "10"
    finance_type: str = "110"
    disbursed: str | int | float | None = Field(None, description="EUR")
    committed: str | int | float | None = Field(None, description="EUR")
    marker_gender: int | str = 0
    marker_environment: int | str = 0
    marker_climate_mitigation: int | str = 0
    marker_climate_adaptation: int | str = 0
    marker_biodiversity: int | str = 0
    legal_basis: str = ApdLine.LegalBasis.GENERAL


class LineOut(Schema):
    id: int
    position: int
    project_id: int | None
    title: str
    description: str
    recipient: str
    recipient_name: str
    purpose_code: str
    purpose_name: str
    aid_type: str
    channel_code: str
    flow_type: str
    finance_type: str
    disbursed: Decimal
    committed: Decimal | None
    marker_gender: int
    marker_environment: int
    marker_climate_mitigation: int
    marker_climate_adaptation: int
    marker_biodiversity: int
    legal_basis: str


class TotalsOut(Schema):
    lines: int
    disbursed: Decimal
    committed: Decimal


class ApdDeclarationSummaryOut(Schema):
    id: int
    reference: str
    campaign_id: int
    year: int
    authority: str
    authority_code: str
    state: str = Field(description="draft, submitted or correction")
    state_label: str
    editable: bool
    submitted_at: datetime | None
    updated_at: datetime
    correction_reason: str
    receipt_url: str = Field(description="The receipt (PDF) of the last submission; empty before it")


class ApdDeclarationOut(ApdDeclarationSummaryOut):
    totals: TotalsOut
    lines: list[LineOut]


class ApdDeclarationListOut(Schema):
    count: int
    items: list[ApdDeclarationSummaryOut]


class CorrectionIn(InputSchema):
    reason: str = ""


class CopiedOut(Schema):
    copied: int
    declaration: ApdDeclarationOut


class CodeOut(Schema):
    code: str
    name: str
    category: str


class CodeListOut(Schema):
    count: int
    items: list[CodeOut]


class AmountByOut(Schema):
    key: str
    name: str
    disbursed: Decimal
    lines: int


class ProgressOut(Schema):
    declarations: int
    submitted: int
    drafts: int
    to_correct: int
    authorities_with_projects: int = Field(description="Local authorities with projects in the Atlas")
    disbursed: Decimal
    committed: Decimal
    by_country: list[AmountByOut]
    by_sector: list[AmountByOut] = Field(description="By DAC sector category (3 digits)")


def _campaign_out(item: ApdCampaign, mine: dict[int, int]) -> dict:
    return {
        "id": item.pk,
        "year": item.year,
        "status": item.status,
        "opens_at": item.opens_at,
        "closes_at": item.closes_at,
        "instructions": item.instructions,
        "my_declaration": mine.get(item.pk),
    }


def _mine(request: HttpRequest) -> dict[int, int]:
    return dict(apd.declarations(request.user).values_list("campaign_id", "pk")) if not request.user.is_staff else {}


def _line_out(line: ApdLine) -> dict:
    recipient = codelists.codelist("recipient").get(line.recipient)
    purpose = codelists.codelist("purpose").get(line.purpose_code)
    return {
        **{name: getattr(line, name) for name in LineOut.model_fields if hasattr(line, name)},
        "id": line.pk,
        "recipient_name": recipient.name if recipient else "",
        "purpose_name": purpose.name if purpose else "",
    }


def _summary(item: ApdDeclaration) -> dict:
    return {
        "id": item.pk,
        "reference": item.reference,
        "campaign_id": item.campaign_id,
        "year": item.campaign.year,
        "authority": item.authority.name,
        "authority_code": item.authority.code,
        "state": item.state,
        "state_label": str(item.get_state_display()),
        "editable": item.editable,
        "submitted_at": item.submitted_at,
        "updated_at": item.updated_at,
        "correction_reason": item.correction_reason,
        "receipt_url": f"/api/declarations/apd/{item.pk}/receipt.pdf" if item.receipt else "",
    }


def _detail(item: ApdDeclaration) -> dict:
    totals = apd.totals(item)
    return {
        **_summary(item),
        "totals": {"lines": totals.lines, "disbursed": totals.disbursed, "committed": totals.committed},
        "lines": [_line_out(line) for line in apd.lines(item)],
    }


@router.get("/declarations/apd/campaigns/", response=CampaignListOut, summary="e-APD campaigns", auth=member_auth)
def list_campaigns(request: HttpRequest, paging: Query[Paging]):
    queryset = apd.campaigns()
    mine = _mine(request)
    items = [_campaign_out(item, mine) for item in queryset[paging.offset : paging.offset + paging.limit]]
    return {"count": queryset.count(), "items": items}


@router.get(
    "/declarations/apd/campaigns/{campaign_id}/", response=CampaignOut, summary="An e-APD campaign", auth=member_auth
)
def get_campaign(request: HttpRequest, campaign_id: int):
    return _campaign_out(apd.campaign(campaign_id), _mine(request))


@router.post(
    "/declarations/apd/campaigns/{campaign_id}/declaration/",
    response={200: ApdDeclarationOut, 201: ApdDeclarationOut},
    summary="Start (or find) my authority's declaration",
    auth=member_auth,
)
def start_declaration(request: HttpRequest, campaign_id: int):
    """Members of a local authority (``collectivites``) whose profile names it; 201 when a
    draft is started, 200 when the authority already has its declaration for the campaign."""
    item, created = apd.start(member(request), campaign_id)
    return Status(201 if created else 200, _detail(apd.declaration(member(request), item.pk)))


class DeclarationQuery(InputSchema):
    campaign: int | None = None
    state: Literal["draft", "submitted", "correction"] | None = None


@router.get("/declarations/apd/", response=ApdDeclarationListOut, summary="Declarations I may see", auth=member_auth)
def list_declarations(request: HttpRequest, filters: Query[DeclarationQuery], paging: Query[Paging]):
    """My authority's declarations; every declaration for staff."""
    queryset = apd.declarations(member(request), campaign=filters.campaign, state=filters.state)
    items = [_summary(item) for item in queryset[paging.offset : paging.offset + paging.limit]]
    return {"count": queryset.count(), "items": items}


@router.get(
    "/declarations/apd/{declaration_id}/", response=ApdDeclarationOut, summary="A declaration", auth=member_auth
)
def get_declaration(request: HttpRequest, declaration_id: int):
    return _detail(apd.declaration(member(request), declaration_id))


@router.post(
    "/declarations/apd/{declaration_id}/lines/", response={201: LineOut}, summary="Add a line", auth=member_auth
)
def add_line(request: HttpRequest, declaration_id: int, payload: LineIn):
    """422 names each faulty field (``purpose_code``, ``recipient``, ``disbursed``…); nothing is saved then."""
    return Status(201, _line_out(apd.add_line(member(request), declaration_id, payload.dict())))


@router.put(
    "/declarations/apd/{declaration_id}/lines/{line_id}/", response=LineOut, summary="Replace a line", auth=member_auth
)
def update_line(request: HttpRequest, declaration_id: int, line_id: int, payload: LineIn):
    return _line_out(apd.update_line(member(request), declaration_id, line_id, payload.dict()))


@router.delete(
    "/declarations/apd/{declaration_id}/lines/{line_id}/",
    response={204: None},
    summary="Remove a line",
    auth=member_auth,
)
def remove_line(request: HttpRequest, declaration_id: int, line_id: int):
    apd.remove_line(member(request), declaration_id, line_id)
    return Status(204, None)


@router.post(
    "/declarations/apd/{declaration_id}/copy-previous/",
    response=CopiedOut,
    summary="Copy last year's lines",
    auth=member_auth,
)
def copy_previous(request: HttpRequest, declaration_id: int):
    """Adds the lines of my authority's latest earlier declaration, to be reviewed (409 when there is none)."""
    copied = apd.copy_previous(member(request), declaration_id)
    return {"copied": copied, "declaration": _detail(apd.declaration(member(request), declaration_id))}


@router.post(
    "/declarations/apd/{declaration_id}/submit/", response=ApdDeclarationOut, summary="Submit", auth=member_auth
)
def submit(request: HttpRequest, declaration_id: int):
    """The receipt (PDF) is kept and e-mailed to the authority's members."""
    return _detail(apd.submit(member(request), declaration_id))


@router.post(
    "/declarations/apd/{declaration_id}/request-correction/",
    response=ApdDeclarationOut,
    summary="Ask for a correction (staff)",
    auth=member_auth,
)
def request_correction(request: HttpRequest, declaration_id: int, payload: CorrectionIn):
    return _detail(apd.request_correction(member(request), declaration_id, payload.reason))


@router.get(
    "/declarations/apd/{declaration_id}/history/",
    response=list[HistoryEventOut],
    summary="Who did what to the declaration",
    description="Actions: started, line_added, line_changed, line_removed, copied, submitted, correction.",
    auth=member_auth,
)
def declaration_history(request: HttpRequest, declaration_id: int):
    return events_out(apd.history(member(request), declaration_id))


@router.get(
    "/declarations/apd/{declaration_id}/receipt.pdf",
    summary="The receipt of the last submission",
    auth=member_auth,
    openapi_extra={"responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}},
)
def receipt(request: HttpRequest, declaration_id: int):
    item = apd.declaration(member(request), declaration_id)
    if not item.receipt:
        raise NotFound()
    return FileResponse(
        item.receipt.open("rb"), as_attachment=True, filename=f"{item.reference}.pdf", content_type="application/pdf"
    )


class CodeQuery(InputSchema):
    q: str = Field("", description="The start of a code, or words of its name")
    limit: int = Field(20, ge=1, le=500)


@router.get(
    "/declarations/apd/codes/{kind}/", response=CodeListOut, summary="OECD codes that may be declared", auth=any_caller
)
def list_codes(request: HttpRequest, kind: CodeKind, filters: Query[CodeQuery]):
    """Searched by code or by name (French or English), for a list to choose from."""
    needle, limit = filters.q.strip().lower(), filters.limit
    found = [
        {"code": item.code, "name": item.name, "category": item.category}
        for item in codelists.codelist(kind).values()
        if not item.withdrawn
        and (
            not needle
            or item.code.lower().startswith(needle)
            or needle in item.name_en.lower()
            or needle in item.name.lower()
        )
    ]
    return {"count": len(found), "items": found[:limit]}


@router.get(
    "/declarations/apd/codes/{kind}/{code}", response=CodeOut, summary="Check a code as it is typed", auth=any_caller
)
def check_code(request: HttpRequest, kind: CodeKind, code: str):
    """The code's name in French, or 422 saying why it may not be declared (field ``code``)."""
    item = codelists.check(kind, code, "code")
    return {"code": item.code, "name": item.name, "category": item.category}


@router.get(
    "/declarations/apd/campaigns/{campaign_id}/progress",
    response=ProgressOut,
    summary="Who declared, and the totals (staff)",
    auth=member_auth,
)
def campaign_progress(request: HttpRequest, campaign_id: int):
    found = apd.progress(member(request), campaign_id)
    return {
        **{name: getattr(found, name) for name in ProgressOut.model_fields if name not in ("by_country", "by_sector")},
        "by_country": [
            {"key": row["recipient"], "name": row["name"], "disbursed": row["disbursed"], "lines": row["lines"]}
            for row in found.by_country
        ],
        "by_sector": [
            {"key": row["category"], "name": row["name"], "disbursed": row["disbursed"], "lines": row["lines"]}
            for row in found.by_sector
        ],
    }


@router.get(
    "/declarations/apd/campaigns/{campaign_id}/crs.csv",
    summary="Submitted lines as CRS CSV (staff)",
    auth=member_auth,
    openapi_extra={"responses": {200: {"description": "CSV", "content": {"text/csv": {}}}}},
)
def crs_export(request: HttpRequest, campaign_id: int):
    found = apd.exportable(member(request), campaign_id)
    lines = apd.submitted_lines(found.pk).iterator(chunk_size=2000)
    response = StreamingHttpResponse(apd_exports.crs_csv(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="apd-{found.year}-crs.csv"'
    return response


@router.get(
    "/declarations/apd/campaigns/{campaign_id}/iati.xml",
    summary="Submitted lines as IATI 2.03 activities (staff)",
    auth=member_auth,
    openapi_extra={"responses": {200: {"description": "XML", "content": {"application/xml": {}}}}},
)
def iati_export(request: HttpRequest, campaign_id: int):
    found = apd.exportable(member(request), campaign_id)
    lines = apd.submitted_lines(found.pk).iterator(chunk_size=2000)
    response = StreamingHttpResponse(apd_exports.iati_xml(found, lines), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="apd-{found.year}-iati.xml"'
    return response
