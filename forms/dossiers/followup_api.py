"""The follow-up of funded dossiers in the API (``forms/dossiers/followup.py``): the agreement, the
payment tranches and the reports, for whoever sees the dossier; each step by its side."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Form, Router, Schema, UploadedFile

from atlas_pages.core.auth import member, member_auth
from atlas_pages.core.schemas import InputSchema
from forms.dossiers import followup
from forms.dossiers.models import Agreement, DueReport, PaymentTranche

router = Router(tags=["teleprocedures"])
#: The supporting documents sent with a request or a report: ten at most (multipart).
Documents = Annotated[list[UploadedFile] | None, File(None, max_length=10)]


class DocumentOut(Schema):
    id: int
    name: str
    url: str


class TrancheOut(Schema):
    id: int
    label: str
    planned_amount: Decimal
    planned_date: date
    state: str = Field(description="planned, requested, checked or paid")
    state_label: str
    requested_amount: Decimal | None
    requested_at: datetime | None
    request_note: str
    staff_comment: str
    paid_amount: Decimal | None
    paid_on: date | None
    documents: list[DocumentOut]


class ReportOut(Schema):
    id: int
    kind: str = Field(description="interim or final")
    kind_label: str
    due_date: date
    overdue: bool
    state: str = Field(description="due, filed, returned or accepted")
    state_label: str
    text: str
    filed_at: datetime | None
    staff_comment: str
    documents: list[DocumentOut]


class TotalsOut(Schema):
    grant: Decimal
    paid: Decimal
    requested: Decimal = Field(description="Requested or checked, not yet paid")
    remaining: Decimal = Field(description="What may still be requested")
    spent: Decimal | None
    to_recover: Decimal = Field(description="Paid and not spent, once closed")


class AgreementOut(Schema):
    dossier_id: int
    state: str = Field(description="to_sign, signed or closed")
    state_label: str
    version: int = Field(description="Give it back to sign what you read")
    amount: Decimal
    conditions: str
    cncd_signer_name: str
    cncd_signed_at: datetime | None
    authority_signer_name: str
    authority_signed_at: datetime | None
    closed_at: datetime | None
    closure_note: str
    totals: TotalsOut
    tranches: list[TrancheOut]
    reports: list[ReportOut]
    waiting_for: str = Field(description="The report awaited, in words (empty when none)")
    pdf_url: str


class TrancheIn(InputSchema):
    label: str = Field(max_length=255)
    amount: str = Field(max_length=20)
    date: str = Field(max_length=10, description="YYYY-MM-DD")


class ReportIn(InputSchema):
    kind: str = Field(max_length=10, description="interim or final")
    due_date: str = Field(max_length=10, description="YYYY-MM-DD")


class AgreementIn(InputSchema):
    amount: str = Field(max_length=20, description="The State's grant, in euros")
    conditions: str = Field("", max_length=10000)
    tranches: list[TrancheIn] = Field(max_length=20)
    reports: list[ReportIn] = Field(max_length=20)


class SignIn(InputSchema):
    version: int


class CheckIn(InputSchema):
    approve: bool
    comment: str = Field("", max_length=5000)


class PayIn(InputSchema):
    paid_on: str = Field(max_length=10, description="YYYY-MM-DD")
    amount: str | None = Field(None, max_length=20, description="Default: the amount requested")


class ReviewIn(InputSchema):
    accept: bool
    comment: str = Field("", max_length=5000)


class ClosureIn(InputSchema):
    spent_amount: str = Field(max_length=20)
    note: str = Field("", max_length=5000)


def _documents(dossier_id: int, item) -> list[dict]:
    return [
        {"id": document.pk, "name": document.name, "url": f"/api/dossiers/{dossier_id}/attachments/{document.pk}/file"}
        for document in item.attachments.all()
    ]


def _tranche_out(dossier_id: int, item: PaymentTranche) -> dict:
    return {
        "id": item.pk,
        "label": item.label,
        "planned_amount": item.planned_amount,
        "planned_date": item.planned_date,
        "state": item.state,
        "state_label": str(item.get_state_display()),
        "requested_amount": item.requested_amount,
        "requested_at": item.requested_at,
        "request_note": item.request_note,
        "staff_comment": item.staff_comment,
        "paid_amount": item.paid_amount,
        "paid_on": item.paid_on,
        "documents": _documents(dossier_id, item),
    }


def _report_out(dossier_id: int, item: DueReport) -> dict:
    return {
        "id": item.pk,
        "kind": item.kind,
        "kind_label": str(item.get_kind_display()),
        "due_date": item.due_date,
        "overdue": item.is_overdue,
        "state": item.state,
        "state_label": str(item.get_state_display()),
        "text": item.text,
        "filed_at": item.filed_at,
        "staff_comment": item.staff_comment,
        "documents": _documents(dossier_id, item),
    }


def _agreement_out(found: Agreement) -> dict:
    tranches = list(found.tranches.prefetch_related("attachments"))
    reports = list(found.reports.prefetch_related("attachments"))
    return {
        "dossier_id": found.dossier_id,
        "state": found.state,
        "state_label": str(found.get_state_display()),
        "version": found.version,
        "amount": found.amount,
        "conditions": found.conditions,
        "cncd_signer_name": found.cncd_signer_name,
        "cncd_signed_at": found.cncd_signed_at,
        "authority_signer_name": found.authority_signer_name,
        "authority_signed_at": found.authority_signed_at,
        "closed_at": found.closed_at,
        "closure_note": found.closure_note,
        "totals": vars(followup.totals(found, tranches)),
        "tranches": [_tranche_out(found.dossier_id, item) for item in tranches],
        "reports": [_report_out(found.dossier_id, item) for item in reports],
        "waiting_for": followup.waiting_label(reports),
        "pdf_url": f"/api/dossiers/{found.dossier_id}/agreement.pdf",
    }


def _current(request: HttpRequest, dossier_id: int) -> dict:
    return _agreement_out(followup.agreement(member(request), dossier_id)[1])


@router.get(
    "/dossiers/{dossier_id}/agreement/", response=AgreementOut, summary="The dossier's agreement", auth=member_auth
)
def get_agreement(request: HttpRequest, dossier_id: int):
    """For whoever sees the dossier; 404 until staff prepare it."""
    return _current(request, dossier_id)


@router.put(
    "/dossiers/{dossier_id}/agreement/",
    response=AgreementOut,
    summary="Prepare or change the agreement of an accepted dossier (staff)",
    auth=member_auth,
)
def put_agreement(request: HttpRequest, dossier_id: int, payload: AgreementIn):
    """The tranches add up to the grant; a final report is planned. Once both sides signed, 409."""
    found = followup.prepare(member(request), dossier_id, payload.dict())
    return _agreement_out(found)


@router.post(
    "/dossiers/{dossier_id}/agreement/sign",
    response=AgreementOut,
    summary="Sign the agreement (staff for the CNCD, the filing authority for itself)",
    auth=member_auth,
)
def sign_agreement(request: HttpRequest, dossier_id: int, payload: SignIn):
    """An acknowledgement with the date and the signer's name, on the ``version`` read (409 if
    it changed since)."""
    followup.sign(member(request), dossier_id, payload.version)
    return _current(request, dossier_id)


@router.get("/dossiers/{dossier_id}/agreement.pdf", summary="The agreement as a PDF", auth=member_auth)
def agreement_pdf(request: HttpRequest, dossier_id: int):
    from forms.dossiers.pdf import agreement_pdf as render

    current, found = followup.agreement(member(request), dossier_id)
    response = HttpResponse(render(current, found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="convention-{current.reference}.pdf"'
    return response


@router.get(
    "/dossiers/{dossier_id}/payments/", response=list[TrancheOut], summary="The payment tranches", auth=member_auth
)
def list_payments(request: HttpRequest, dossier_id: int):
    _dossier, found = followup.agreement(member(request), dossier_id)
    return [_tranche_out(dossier_id, item) for item in found.tranches.prefetch_related("attachments")]


@router.post(
    "/dossiers/{dossier_id}/payments/{tranche_id}/request",
    response=TrancheOut,
    summary="Request a tranche, with its supporting documents (the authority; multipart)",
    auth=member_auth,
)
def request_payment(
    request: HttpRequest,
    dossier_id: int,
    tranche_id: int,
    amount: str = Form("", max_length=20),
    note: str = Form("", max_length=5000),
    files: Documents = None,
):
    """Never above what remains of the grant."""
    tranche = followup.request_tranche(member(request), dossier_id, tranche_id, amount, note, list(files or []))
    return _tranche_out(dossier_id, tranche)


@router.post(
    "/dossiers/{dossier_id}/payments/{tranche_id}/check",
    response=TrancheOut,
    summary="Check a requested tranche, or send it back (staff)",
    auth=member_auth,
)
def check_payment(request: HttpRequest, dossier_id: int, tranche_id: int, payload: CheckIn):
    tranche = followup.check_tranche(member(request), dossier_id, tranche_id, payload.approve, payload.comment)
    return _tranche_out(dossier_id, tranche)


@router.post(
    "/dossiers/{dossier_id}/payments/{tranche_id}/pay",
    response=TrancheOut,
    summary="Record the payment of a checked tranche (staff)",
    auth=member_auth,
)
def pay_payment(request: HttpRequest, dossier_id: int, tranche_id: int, payload: PayIn):
    tranche = followup.pay_tranche(member(request), dossier_id, tranche_id, payload.paid_on, payload.amount)
    return _tranche_out(dossier_id, tranche)


@router.get("/dossiers/{dossier_id}/reports/", response=list[ReportOut], summary="The reports due", auth=member_auth)
def list_reports(request: HttpRequest, dossier_id: int):
    _dossier, found = followup.agreement(member(request), dossier_id)
    return [_report_out(dossier_id, item) for item in found.reports.prefetch_related("attachments")]


@router.post(
    "/dossiers/{dossier_id}/reports/{report_id}/file",
    response=ReportOut,
    summary="File a report, with its documents (the authority; multipart)",
    auth=member_auth,
)
def file_report(
    request: HttpRequest,
    dossier_id: int,
    report_id: int,
    text: str = Form("", max_length=20000),
    files: Documents = None,
):
    report = followup.file_report(member(request), dossier_id, report_id, text, list(files or []))
    return _report_out(dossier_id, report)


@router.post(
    "/dossiers/{dossier_id}/reports/{report_id}/review",
    response=ReportOut,
    summary="Accept a filed report, or send it back with a comment (staff)",
    auth=member_auth,
)
def review_report(request: HttpRequest, dossier_id: int, report_id: int, payload: ReviewIn):
    report = followup.review_report(member(request), dossier_id, report_id, payload.accept, payload.comment)
    return _report_out(dossier_id, report)


@router.post(
    "/dossiers/{dossier_id}/closure",
    response=AgreementOut,
    summary="Close the follow-up with the amount actually spent (staff)",
    auth=member_auth,
)
def close_followup(request: HttpRequest, dossier_id: int, payload: ClosureIn):
    """Once the final report is accepted; what was paid and not spent is to be recovered."""
    return _agreement_out(followup.close(member(request), dossier_id, payload.spent_amount, payload.note))
