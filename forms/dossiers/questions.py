"""The call's own questions: editors add them to a call in the Wagtail admin as form fields
(Wagtail's form builder: short or long text, number, choice, date, document), and the
authority answers them in the dossier's form.

Answers are kept in the dossier's ``answers`` by the question's name, in a draft as typed
(each checked for its form only: a number is a number, a choice is one of the choices); a
document's answer is the dossier's attachment that names the question. Filing checks that
every required question is answered, naming the field ``answers.<name>``.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from wagtail.contrib.forms.forms import FormBuilder

from forms.dossiers.models import CallForProjectsPage, CallQuestion, Dossier, DossierAttachment

Type = CallQuestion.Type
TEXT_LIMIT = 10000


class QuestionFormBuilder(FormBuilder):
    """Wagtail's form builder, with documents, bounded texts and numbers."""

    def create_multiline_field(self, field, options):
        options["max_length"] = TEXT_LIMIT
        options.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        return forms.CharField(**options)

    def create_number_field(self, field, options):
        return forms.DecimalField(max_digits=18, decimal_places=4, **options)

    def create_date_field(self, field, options):
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **options)

    def create_file_field(self, field, options):
        options.pop("initial", None)
        return forms.FileField(**options)

    def get_field_options(self, field):
        options = super().get_field_options(field)
        options["initial"] = None
        return options


def choices(question: CallQuestion) -> list[str]:
    """A choice question's choices, split as Wagtail's form builder splits them."""
    return [label for _value, label in QuestionFormBuilder([]).get_formatted_field_choices(question)]


def questions_of(call: CallForProjectsPage) -> list[CallQuestion]:
    return list(call.questions.all())


def form_class(questions: list[CallQuestion]) -> type[forms.Form]:
    return QuestionFormBuilder(questions).get_form_class()


def stored(value: Any) -> Any:
    """A cleaned value as the dossier keeps it (JSON): text, a number as text, a date in ISO."""
    if value in (None, "", []):
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value).strip() or None


def clean(call: CallForProjectsPage, given: dict[str, Any]) -> dict[str, Any]:
    """The answers given, checked for their form (a draft may leave any out): returns them as
    stored, or raises ``ValidationError`` naming ``answers.<name>``. Documents are not given
    here but as attachments."""
    questions = {question.clean_name: question for question in questions_of(call)}
    errors: dict[str, list] = {}
    unknown = sorted(name for name in given if name not in questions or questions[name].field_type == Type.FILE)
    for name in unknown:
        errors[f"answers.{name[:255]}"] = [_("This call asks no such question (or it is answered with a document).")]
    asked = [questions[name] for name in given if name not in unknown]
    form = form_class(asked)(data={name: _as_data(given[name]) for name in (q.clean_name for q in asked)})
    for field in form.fields.values():
        field.required = False  # a draft: required questions are checked when the dossier is filed
    form.is_valid()
    for name, messages in form.errors.items():
        errors[f"answers.{name}"] = list(messages)
    if errors:
        raise ValidationError(errors)
    return {question.clean_name: stored(form.cleaned_data.get(question.clean_name)) for question in asked}


def _as_data(value: Any) -> Any:
    """A JSON value as a form's data: numbers as text, lists as lists."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, int | float):
        return str(value)
    return value


def missing(dossier: Dossier) -> dict[str, list]:
    """The required questions left unanswered, and answers that no longer fit the question (an
    editor changed its choices), each under ``answers.<name>``."""
    errors: dict[str, list] = {}
    questions = questions_of(dossier.call)
    documents = set(dossier.attachments.exclude(question="").values_list("question", flat=True))
    answers = dossier.answers or {}
    required = _("This field is required to file the dossier.")
    checkable = []
    for question in questions:
        if question.field_type == Type.FILE:
            if question.required and question.clean_name not in documents:
                errors[f"answers.{question.clean_name}"] = [required]
        elif answers.get(question.clean_name) in (None, "", []):
            if question.required:
                errors[f"answers.{question.clean_name}"] = [required]
        else:
            checkable.append(question)
    if checkable:
        try:
            clean(dossier.call, {question.clean_name: answers[question.clean_name] for question in checkable})
        except ValidationError as error:
            errors.update(error.message_dict)
    return errors


def initial(dossier: Dossier) -> dict[str, Any]:
    """The answers as the form shows them."""
    return {name: value for name, value in (dossier.answers or {}).items() if value is not None}


def documents(dossier: Dossier) -> dict[str, DossierAttachment]:
    """The document answering each document question."""
    return {item.question: item for item in dossier.attachments.exclude(question="").order_by("pk")}


def _shown(question: CallQuestion, value: Any) -> str:
    if value in (None, "", []):
        return ""
    if question.field_type == Type.NUMBER:
        try:
            return number_format(Decimal(str(value)), use_l10n=True, force_grouping=True)
        except ArithmeticError:
            return str(value)
    if question.field_type == Type.DATE:
        try:
            return date_format(date.fromisoformat(str(value)), "j F Y")
        except ValueError:
            return str(value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def answered(dossier: Dossier, questions: list[CallQuestion] | None = None, attachments=None) -> list[dict]:
    """Each question of the call with its answer as people read it (the PDF, the page, the
    exports): ``{"name", "label", "type", "required", "value", "text", "document"}``."""
    questions = questions_of(dossier.call) if questions is None else questions
    attachments = documents(dossier) if attachments is None else attachments
    answers = dossier.answers or {}
    rows = []
    for question in questions:
        document = attachments.get(question.clean_name) if question.field_type == Type.FILE else None
        value = answers.get(question.clean_name) if question.field_type != Type.FILE else None
        rows.append(
            {
                "name": question.clean_name,
                "label": question.label,
                "type": question.field_type,
                "required": question.required,
                "value": value,
                "text": document.name if document else _shown(question, value),
                "document": document,
            }
        )
    return rows


def export_text(dossier: Dossier, question: CallQuestion) -> str:
    """One answer in a spreadsheet's cell; the dossier's ``call.questions`` and
    ``answer_documents`` prefetched (``for_export``)."""
    if question.field_type == Type.FILE:
        found = [item for item in dossier.answer_documents if item.question == question.clean_name]
        return found[-1].name if found else ""
    return _shown(question, (dossier.answers or {}).get(question.clean_name))


def for_export(queryset):
    """Prefetches what ``export_text`` reads: the calls' questions and the documents given in answer."""
    from django.db.models import Prefetch

    return queryset.prefetch_related(
        "call__questions",
        Prefetch("attachments", queryset=DossierAttachment.objects.exclude(question=""), to_attr="answer_documents"),
    )
