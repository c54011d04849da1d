"""The teleprocedures in the reference front end: parse, call the service, render. Service
errors come back next to their fields; a draft keeps what was typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atlas_pages.atlas import services as atlas_services
from atlas_pages.core.exceptions import DomainError, NotFound
from atlas_pages.core.feedback import report_refusal
from forms.dossiers import followup, instruction, mutualisation, questions, scoring, services
from forms.dossiers.forms import BudgetFormSet, ContactFormSet, DocumentForm, DossierForm, MessageForm, OpinionForm
from forms.dossiers.models import Agreement, CallForProjectsPage, Dossier, DueReport, RequiredOpinion
from forms.dossiers.permissions import speaks_for
from forms.listing import listed
from forms.permissions import Viewer

CONTENT = ("title", "partner_name", "partner_country", "themes", "description", "objectives", "start_year")


def _dossier_or_404(request: HttpRequest, dossier_id: int) -> Dossier:
    try:
        return services.dossier(request.user, dossier_id)
    except NotFound as error:
        raise Http404 from error


def _number(value) -> int:
    return int(value) if str(value or "").isdigit() else 0


def _redirect_to(dossier_id: int):
    return redirect("cncd_forms:dossier", dossier_id=dossier_id)


PER_PAGE = 25


def _listing(user, call: str = "", state: str = "", mine: str = "", label: str = "", archive: str = ""):
    queryset = services.dossiers(user, call=call, state=state)
    if mine and mine not in instruction.MINE:
        raise ValidationError({"suivi": [_("Choose among the dossiers assigned to you, unassigned or followed.")]})
    assigned, followed = instruction.MINE.get(mine, ("", False))
    archived = True if archive == "1" else None  # staff's listing leaves the archive out unless asked
    return instruction.narrowed(user, queryset, assigned=assigned, followed=followed, label=label, archived=archived)


@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    """“Dossiers de cofinancement”: every dossier the member may see (their authority's, their
    country's for an embassy, their region's for a prefecture, all for ministries), by call and state."""
    queryset, chosen, status = listed(
        request,
        _listing,
        call=request.GET.get("appel", ""),
        state=request.GET.get("etat", ""),
        mine=request.GET.get("suivi", ""),
        label=request.GET.get("etiquette", ""),
        archive=request.GET.get("archives", ""),
    )
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    scores = scoring.summaries(request.user, list(page.object_list))
    for item in page.object_list:
        item.score = scores.get(item.pk)
    ranked = _ranking(request, chosen["call"]) if status == 200 else None
    return render(
        request,
        "cncd_forms/dossier_list.html",
        {
            "page_obj": page,
            "calls": services.calls(),
            "states": Dossier.State.choices,
            "chosen": {
                "appel": chosen["call"],
                "etat": chosen["state"],
                "suivi": chosen["mine"],
                "etiquette": chosen["label"],
                "archives": chosen["archive"],
            },
            "is_staff": request.user.is_staff,
            "labels": instruction.labels() if request.user.is_staff else [],
            "scored": bool(scores) or request.user.is_staff,
            "ranking": ranked,
        },
        status=status,
    )


def _ranking(request: HttpRequest, call_id: str) -> dict | None:
    """The ranking of the chosen call against its envelope, for staff when it has a grid."""
    if not (request.user.is_staff and str(call_id).isdigit()):
        return None
    page = services.calls().filter(pk=call_id).first()
    if page is None or not page.criteria.exists():
        return None
    ranks, hidden = scoring.ranking(request.user, page)
    return {"call": page, "ranks": ranks, "hidden": hidden}


@login_required
def dossier_page(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """A dossier as the member may see it, with what they may do on it."""
    try:
        dossier, events = services.events(request.user, dossier_id)
    except NotFound as error:
        raise Http404 from error
    lines = list(dossier.budget_lines.all())
    viewer = Viewer.of(request.user)
    in_messages = services.takes_part_in_messages(request.user, dossier)
    editable = services.can_edit(request.user, dossier)
    opinions = services.visible_opinions(request.user, dossier)
    for opinion in opinions:
        opinion.shown_question = opinion.question if services.reads_question(request.user, opinion) else ""
        if speaks_for(viewer, opinion.body, dossier) and not dossier.is_decided:
            opinion.form = OpinionForm(
                initial={"verdict": opinion.verdict, "text": opinion.text, "confidential": opinion.confidential},
                prefix=f"o{opinion.pk}",
            )
    return render(
        request,
        "cncd_forms/dossier.html",
        {
            "dossier": dossier,
            "lines": lines,
            "totals": services.budget_totals(lines),
            "answers": questions.answered(dossier),
            "opinions": opinions,
            "waiting": services.waiting_for(dossier),
            "events": events,
            "can_edit": editable,
            "documents": services.visible_attachments(request.user, dossier),
            "messages_": list(dossier.messages.prefetch_related("attachments")) if in_messages else None,
            "message_form": MessageForm() if in_messages else None,
            "document_form": DocumentForm() if editable or request.user.is_staff else None,
            "bodies": RequiredOpinion.Body.choices,
            "is_staff": request.user.is_staff,
            "following": instruction.follows(request.user, dossier),
            "notes": list(dossier.notes.all()) if request.user.is_staff else None,
            "instructors": list(instruction.instructors()) if request.user.is_staff else None,
            "labels": instruction.labels() if request.user.is_staff else None,
            **_followup_context(request, dossier),
            "neighbours": mutualisation.neighbours(dossier) if editable or request.user.is_staff else None,
            "atlas_project_url": atlas_services.project_url(dossier.atlas_project_id)
            if dossier.atlas_project_id
            else "",
            "atlas_proposal": services.pending_atlas_proposal(dossier)
            if dossier.state == Dossier.State.ACCEPTED
            else "",
            "chosen_labels": set(dossier.labels.values_list("pk", flat=True)) if request.user.is_staff else set(),
            "sheet": _sheet(request, dossier),
        },
    )


def _sheet(request: HttpRequest, dossier: Dossier) -> dict | None:
    """The review grid on the dossier's page, for its reviewers: a row per criterion with the
    scores to choose from and the one given."""
    found = scoring.sheet(request.user, dossier)
    if found is None:
        return None
    rows = [
        {"criterion": item, "choices": range(item.scale + 1), "given": found.own_scores.get(item.pk)}
        for item in found.criteria
    ]
    return {"sheet": found, "rows": rows}


TRANCHE_ROWS, REPORT_ROWS = 4, 3


def _followup_context(request: HttpRequest, dossier: Dossier) -> dict:
    """The follow-up section of an accepted dossier: its agreement, tranches, reports, totals, and
    for staff the rows of the agreement's form (the current values, then blank rows)."""
    if dossier.state != Dossier.State.ACCEPTED:
        return {"followup": None}
    found = Agreement.objects.filter(dossier=dossier).first()
    tranches = list(found.tranches.prefetch_related("attachments")) if found else []
    reports = list(found.reports.prefetch_related("attachments")) if found else []
    context = {
        "followup": True,
        "agreement": found,
        "tranches": tranches,
        "reports": reports,
        "followup_totals": followup.totals(found, tranches) if found else None,
        "acts_for_authority": followup.may_act_for_authority(request.user, dossier),
        "report_kinds": DueReport.Kind.choices,
    }
    if request.user.is_staff and (found is None or found.state == Agreement.State.TO_SIGN):
        rows = [{"label": item.label, "amount": item.planned_amount, "date": item.planned_date} for item in tranches]
        context["tranche_rows"] = rows + [{}] * max(1, TRANCHE_ROWS - len(rows))
        due = [{"kind": item.kind, "due_date": item.due_date} for item in reports]
        context["report_rows"] = due + [{}] * max(1, REPORT_ROWS - len(due))
    return context


def _agreement_data(post) -> dict:
    """The agreement's form as the service takes it: the rows filled in, blank ones left out."""
    tranches = [
        {"label": label, "amount": amount, "date": date}
        for label, amount, date in zip(
            post.getlist("tranche_label"), post.getlist("tranche_amount"), post.getlist("tranche_date"), strict=False
        )
        if (label + amount + date).strip()
    ]
    reports = [
        {"kind": kind, "due_date": due}
        for kind, due in zip(post.getlist("report_kind"), post.getlist("report_due_date"), strict=False)
        if due.strip()
    ]
    return {
        "amount": post.get("amount", ""),
        "conditions": post.get("conditions", ""),
        "tranches": tranches,
        "reports": reports,
    }


@login_required
@require_POST
def start_dossier(request: HttpRequest, call_id: int) -> HttpResponse:
    """“Déposer un dossier” on the call's page: a draft, then its form."""
    try:
        created = services.create_dossier(request.user, call_id, {})
    except DomainError as error:
        report_refusal(request, error)
        page = CallForProjectsPage.objects.filter(pk=call_id).first()
        return redirect(page.url if page else "/")
    return redirect("cncd_forms:edit_dossier", dossier_id=created.pk)


def _content(form, budget, contacts) -> tuple[dict, list, list]:
    data = {name: form.cleaned_data[name] for name in CONTENT}
    data["duration_years"] = form.cleaned_data["duration_years"]
    budget_forms = [line for line in budget if not line.is_blank()]
    contact_forms = [contact for contact in contacts if not contact.is_blank()]
    data["budget"] = [
        {
            "kind": line.cleaned_data["kind"],
            "year": line.cleaned_data["year"],
            "label": line.cleaned_data["label"],
            "source": line.cleaned_data["source"],
            "amount": "" if line.cleaned_data["amount"] is None else str(line.cleaned_data["amount"]),
        }
        for line in budget_forms
    ]
    data["contacts"] = [
        {name: contact.cleaned_data[name] for name in ("name", "role", "email", "phone")} for contact in contact_forms
    ]
    return data, budget_forms, contact_forms


def _place(error: ValidationError, form, budget_forms, contact_forms, lists: dict, answer_form) -> None:
    """Each service error next to its field: ``budget.2.amount`` on the third line typed,
    ``answers.<name>`` on the call's question."""
    for key, field_messages in error.message_dict.items():
        name, _dot, rest = key.partition(".")
        rows = {"budget": budget_forms, "contacts": contact_forms}.get(name)
        for message in field_messages:
            if name == "answers" and rest in answer_form.fields:
                answer_form.add_error(rest, message)
                continue
            if rows is not None and rest:
                number, _dot, field = rest.partition(".")
                if number.isdigit() and int(number) < len(rows) and field in rows[int(number)].fields:
                    rows[int(number)].add_error(field, message)
                    continue
            if rows is not None:
                lists[name].append(message)
            elif name in form.fields:
                form.add_error(name, message)
            else:
                form.add_error(None, message)


@login_required
def edit_dossier(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """The dossier's form: “Enregistrer le brouillon” keeps what was typed; “Déposer le
    dossier” saves, then files it, or names what is missing next to each field."""
    dossier = _dossier_or_404(request, dossier_id)
    if not services.can_edit(request.user, dossier):
        messages.error(request, _("This dossier can no longer be changed."))
        return _redirect_to(dossier.pk)
    lists = {"budget": [], "contacts": []}
    asked = questions.questions_of(dossier.call)
    Answers = questions.form_class(asked)
    if request.method == "POST":
        form = DossierForm(request.POST)
        budget = BudgetFormSet(request.POST, prefix="budget")
        contacts = ContactFormSet(request.POST, prefix="contacts")
        answer_form = Answers(request.POST, request.FILES, prefix="answers")
        if form.is_valid() & budget.is_valid() & contacts.is_valid() & _draft_valid(answer_form):
            data, budget_forms, contact_forms = _content(form, budget, contacts)
            data["answers"] = _answers(asked, answer_form)
            saved = None
            try:
                saved = services.update_dossier(request.user, dossier.pk, form.cleaned_data["version"], data)
                saved = _answer_documents(request, saved, asked, answer_form)
                if "submit" in request.POST:
                    services.submit(request.user, dossier.pk, saved.version)
                    messages.success(
                        request, _("Your dossier has been filed: you will receive an acknowledgement by e-mail.")
                    )
                else:
                    messages.success(request, _("Your draft has been saved."))
                return _redirect_to(dossier.pk) if "submit" in request.POST else redirect(request.path)
            except ValidationError as error:
                _place(error, form, budget_forms, contact_forms, lists, answer_form)
            except DomainError as error:
                form.add_error(None, str(error.message))
            if saved is not None:  # the draft was saved, the filing failed: the form goes on from there
                form.data = form.data.copy()
                form.data["version"] = services.dossier(request.user, dossier.pk).version
    else:
        form = DossierForm(initial=DossierForm.initial_of(dossier))
        budget = BudgetFormSet(
            prefix="budget",
            initial=[
                {
                    "kind": line.kind,
                    "year": line.year,
                    "label": line.label,
                    "source": line.source,
                    "amount": line.amount,
                }
                for line in dossier.budget_lines.all()
            ],
        )
        contacts = ContactFormSet(
            prefix="contacts",
            initial=[
                {"name": contact.name, "role": contact.role, "email": contact.email, "phone": contact.phone}
                for contact in dossier.contacts.all()
            ],
        )
        answer_form = Answers(initial=questions.initial(dossier), prefix="answers")
    documents = questions.documents(dossier)
    return render(
        request,
        "cncd_forms/dossier_form.html",
        {
            "dossier": dossier,
            "form": form,
            "budget": budget,
            "contacts": contacts,
            "lists": lists,
            "answer_form": answer_form,
            "answer_fields": [(answer_form[name], documents.get(name)) for name in answer_form.fields],
            "neighbours": mutualisation.neighbours(dossier),  # as saved: the partner given last
        },
        status=400
        if form.errors
        or answer_form.errors
        or any(lists.values())
        or budget.total_error_count()
        or contacts.total_error_count()
        else 200,
    )


def _draft_valid(answer_form) -> bool:
    """The answers checked for their form only (a draft may leave a required question empty:
    filing names it); the asterisks stay on the questions that are required."""
    required = {name: field.required for name, field in answer_form.fields.items()}
    for field in answer_form.fields.values():
        field.required = False
    valid = answer_form.is_valid()
    for name, field in answer_form.fields.items():
        field.required = required[name]
    return valid


def _answers(asked, answer_form) -> dict:
    """The typed answers as the service takes them (documents apart: they are uploads)."""
    return {
        question.clean_name: questions.stored(answer_form.cleaned_data.get(question.clean_name))
        for question in asked
        if question.field_type != questions.Type.FILE
    }


def _answer_documents(request: HttpRequest, saved: Dossier, asked, answer_form) -> Dossier:
    """The documents given in answer, each replacing the one before; a refused file is named on
    its question. Returns the dossier at its new version."""
    given = [q for q in asked if q.field_type == questions.Type.FILE and answer_form.cleaned_data.get(q.clean_name)]
    for question in given:
        try:
            services.add_attachment(
                request.user, saved.pk, answer_form.cleaned_data[question.clean_name], "", question.clean_name
            )
        except ValidationError as error:
            raise ValidationError({f"answers.{question.clean_name}": error.messages}) from error
    return services.dossier(request.user, saved.pk) if given else saved


@login_required
@require_POST
def dossier_action(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """The buttons of the dossier's page: staff's instruction, an opinion, a message, a document."""
    dossier = _dossier_or_404(request, dossier_id)
    action = request.POST.get("action", "")
    version = int(request.POST.get("version") or 0) if (request.POST.get("version") or "").isdigit() else 0
    user = request.user
    try:
        if action == "review":
            services.start_review(user, dossier.pk, version)
        elif action == "send_back":
            services.send_back(user, dossier.pk, version, request.POST.get("reason", ""))
        elif action == "decide":
            services.decide(
                user, dossier.pk, version, request.POST.get("decision", ""), request.POST.get("motivation", "")
            )
        elif action == "reopen":
            services.reopen(user, dossier.pk, version, request.POST.get("reason", ""))
        elif action == "request_opinions":
            services.request_opinions(
                user, dossier.pk, request.POST.getlist("bodies"), request.POST.get("question", "")
            )
        elif action == "revoke_opinion":
            opinion_id = request.POST.get("opinion", "")
            services.revoke_opinion(user, dossier.pk, int(opinion_id) if opinion_id.isdigit() else 0)
        elif action == "opinion":
            opinion_id = int(request.POST.get("opinion") or 0)
            form = OpinionForm(request.POST, request.FILES, prefix=f"o{opinion_id}")
            form.is_valid()
            data = getattr(form, "cleaned_data", {})
            with transaction.atomic():  # the opinion and its document, or neither
                services.give_opinion(
                    user,
                    dossier.pk,
                    opinion_id,
                    data.get("verdict", ""),
                    data.get("text", ""),
                    data.get("confidential", False),
                )
                if data.get("file"):
                    services.add_opinion_document(user, dossier.pk, opinion_id, data["file"])
        elif action == "message":
            services.send_message(user, dossier.pk, request.POST.get("body", ""), request.FILES.get("file"))
        elif action == "document":
            services.add_attachment(user, dossier.pk, request.FILES.get("file"), request.POST.get("label", ""))
        elif action == "agreement":
            followup.prepare(user, dossier.pk, _agreement_data(request.POST))
        elif action == "sign":
            followup.sign(user, dossier.pk, version)
        elif action == "request_tranche":
            followup.request_tranche(
                user,
                dossier.pk,
                _number(request.POST.get("tranche")),
                request.POST.get("amount", ""),
                request.POST.get("note", ""),
                request.FILES.getlist("files"),
            )
        elif action in ("check_tranche", "send_back_tranche"):
            followup.check_tranche(
                user,
                dossier.pk,
                _number(request.POST.get("tranche")),
                action == "check_tranche",
                request.POST.get("comment", ""),
            )
        elif action == "pay_tranche":
            followup.pay_tranche(
                user,
                dossier.pk,
                _number(request.POST.get("tranche")),
                request.POST.get("paid_on", ""),
                request.POST.get("amount", ""),
            )
        elif action == "file_report":
            followup.file_report(
                user,
                dossier.pk,
                _number(request.POST.get("report")),
                request.POST.get("text", ""),
                request.FILES.getlist("files"),
            )
        elif action in ("accept_report", "return_report"):
            followup.review_report(
                user,
                dossier.pk,
                _number(request.POST.get("report")),
                action == "accept_report",
                request.POST.get("comment", ""),
            )
        elif action == "close_followup":
            followup.close(user, dossier.pk, request.POST.get("spent_amount", ""), request.POST.get("note", ""))
        elif action == "note":
            instruction.add_note(user, dossier.pk, request.POST.get("text", ""))
        elif action == "assign":
            chosen = request.POST.get("instructor", "")
            instruction.assign(user, dossier.pk, int(chosen) if chosen.isdigit() else None)
        elif action in ("follow", "unfollow"):
            instruction.follow(user, dossier.pk, action == "follow")
        elif action == "labels":
            chosen_labels = [int(value) for value in request.POST.getlist("labels") if value.isdigit()]
            instruction.set_labels(user, dossier.pk, chosen_labels)
        elif action == "score":
            given = {
                key.removeprefix("score-"): value for key, value in request.POST.items() if key.startswith("score-")
            }
            scoring.give(user, dossier.pk, given, request.POST.get("comment", ""))
        elif action in ("archive", "unarchive"):
            instruction.archive(user, dossier.pk, action == "archive")
        else:
            raise Http404
    except (DomainError, ValidationError) as error:
        report_refusal(request, error)
    else:
        messages.success(request, _("Done."))
    return _redirect_to(dossier.pk)
