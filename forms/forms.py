"""The teleprocedures' forms in the reference front end. They only parse: the rules are the
services', whose errors come back next to the fields (``budget.2.amount`` on the third line)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from atlas_pages.core.countries import lazy_country_choices
from atlas_pages.models import Project, Theme
from forms.models import ApdLine, BudgetLine, Dossier, Opinion


class DossierForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title of the project"), max_length=255, required=False)
    partner_name = forms.CharField(label=_("Partner authority"), max_length=255, required=False)
    partner_country = forms.ChoiceField(label=_("Partner country"), required=False)
    themes = forms.MultipleChoiceField(label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    objectives = forms.CharField(label=_("Objectives"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    start_year = forms.IntegerField(label=_("First year"), required=False, min_value=2000, max_value=2100)
    duration_years = forms.TypedChoiceField(
        label=_("Duration"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), (1, _("One year")), (2, _("Two years")), (3, _("Three years"))],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner_country"].choices = [("", "—"), *lazy_country_choices()]
        self.fields["themes"].choices = [(theme.slug, theme.label) for theme in Theme.objects.all()]

    @classmethod
    def initial_of(cls, dossier: Dossier) -> dict:
        return {
            "version": dossier.version,
            "title": dossier.title,
            "partner_name": dossier.partner_name,
            "partner_country": dossier.partner_country.iso2 if dossier.partner_country else "",
            "themes": [theme.slug for theme in dossier.themes.all()],
            "description": dossier.description,
            "objectives": dossier.objectives,
            "start_year": dossier.start_year,
            "duration_years": dossier.duration_years,
        }


class BudgetLineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *BudgetLine.Kind.choices], required=False)
    year = forms.TypedChoiceField(
        label=_("Year"), choices=[(1, 1), (2, 2), (3, 3)], coerce=int, initial=1, required=False, empty_value=1
    )
    label = forms.CharField(label=_("Label"), max_length=255, required=False)
    source = forms.ChoiceField(
        label=_("Source (resources)"), choices=[("", "—"), *BudgetLine.Source.choices], required=False
    )
    amount = forms.DecimalField(label=_("Amount (EUR)"), max_digits=12, decimal_places=2, required=False)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("label") or data.get("amount") or data.get("kind"))


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255, required=False)
    role = forms.CharField(label=_("Role"), max_length=255, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    phone = forms.CharField(label=_("Telephone"), max_length=40, required=False)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(name) for name in ("name", "role", "email", "phone"))


BudgetFormSet = forms.formset_factory(BudgetLineForm, extra=3)
ContactFormSet = forms.formset_factory(ContactForm, extra=1)


class OpinionForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Opinion"), choices=Opinion.Verdict.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    confidential = forms.BooleanField(label=_("Confidential: for the CNCD team only"), required=False)
    file = forms.FileField(label=_("Attached document"), required=False)


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("Attached document"), required=False)


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document"))
    label = forms.CharField(label=_("What it is"), max_length=255, required=False)


MARKER_CHOICES = [(0, _("0 — not targeted")), (1, _("1 — significant objective")), (2, _("2 — principal objective"))]


def _code_input(kind: str, size: int):
    return forms.TextInput(attrs={"data-code-kind": kind, "autocomplete": "off", "size": size, "spellcheck": "false"})


class ApdLineForm(forms.Form):
    """A line of the e-APD declaration. Codes are text typed by the member and explained as they
    type (``apd-codes.js`` asks the API); the service checks everything on saving."""

    project_id = forms.ChoiceField(label=_("Atlas project"), required=False)
    title = forms.CharField(
        label=_("Project title"), required=False, help_text=_("Leave empty to take the Atlas project's title.")
    )
    description = forms.CharField(
        label=_("Short description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    recipient = forms.CharField(
        label=_("Recipient country"),
        required=False,
        widget=_code_input("recipient", 4),
        help_text=_("ISO code (SN, VN…) of a country on the OECD DAC list, or 998 for spending in France."),
    )
    purpose_code = forms.CharField(
        label=_("Purpose code (DAC sector)"),
        required=False,
        widget=_code_input("purpose", 6),
        help_text=_("Five digits, for example 14030 for drinking water and sanitation."),
    )
    aid_type = forms.CharField(label=_("Type of aid"), required=False, initial="C01", widget=_code_input("aid_type", 5))
    channel_code = forms.CharField(
        label=_("Channel of delivery"), required=False, initial="11002", widget=_code_input("channel", 6)
    )
    flow_type = forms.CharField(
        label=_("Type of flow"), required=False, initial="10", widget=_code_input("flow_type", 3)
    )
    finance_type = forms.CharField(
        label=_("Type of finance"), required=False, initial="110", widget=_code_input("finance_type", 5)
    )
    disbursed = forms.CharField(label=_("Amount disbursed (EUR)"), required=False)
    committed = forms.CharField(label=_("Amount committed (EUR)"), required=False)
    marker_gender = forms.TypedChoiceField(label=_("Gender equality"), choices=MARKER_CHOICES, coerce=int, initial=0)
    marker_environment = forms.TypedChoiceField(label=_("Environment"), choices=MARKER_CHOICES, coerce=int, initial=0)
    marker_climate_mitigation = forms.TypedChoiceField(
        label=_("Climate change mitigation"), choices=MARKER_CHOICES, coerce=int, initial=0
    )
    marker_climate_adaptation = forms.TypedChoiceField(
        label=_("Climate change adaptation"), choices=MARKER_CHOICES, coerce=int, initial=0
    )
    marker_biodiversity = forms.TypedChoiceField(label=_("Biodiversity"), choices=MARKER_CHOICES, coerce=int, initial=0)
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=ApdLine.LegalBasis.choices)

    def __init__(self, *args, projects=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project_id"].choices = [("", _("— A project not in the Atlas —"))] + [
            (str(project.pk), f"{project.title} ({project.country.name})") for project in projects
        ]

    @classmethod
    def initial_of(cls, line: ApdLine) -> dict:
        return {name: getattr(line, name) for name in cls.base_fields if hasattr(line, name)} | {
            "project_id": str(line.project_id or "")
        }

    def values(self) -> dict:
        """What was typed, as the service takes it (markers as typed, checked there)."""
        return {name: self.data.get(self.add_prefix(name), "") for name in self.fields}


class AtlasProposalForm(forms.Form):
    """A project of the Atlas as the member would have it: a change proposes only what differs."""

    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Project.Kind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=Project.Status.choices)
    country = forms.ChoiceField(label=_("Country"), required=False)
    start_year = forms.CharField(label=_("Start year"), required=False)
    end_year = forms.CharField(label=_("End year"), required=False)
    budget = forms.CharField(label=_("Budget (EUR)"), required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    contact = forms.CharField(label=_("Contact"), max_length=255, required=False)
    themes = forms.MultipleChoiceField(label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple)
    french_authorities = forms.CharField(
        label=_("French local authorities"),
        required=False,
        help_text=_("Their official codes, separated by commas (INSEE code of a commune, SIREN of a group…)."),
    )
    partner_authorities = forms.CharField(
        label=_("Partner authorities"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line or separated by commas."),
    )
    comment = forms.CharField(
        label=_("Comment for the moderators"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *lazy_country_choices()]
        self.fields["themes"].choices = [(theme.slug, theme.label) for theme in Theme.objects.all()]

    @classmethod
    def initial_of(cls, values: dict) -> dict:
        return {
            **values,
            "french_authorities": ", ".join(values.get("french_authorities") or []),
            "partner_authorities": "\n".join(values.get("partner_authorities") or []),
        }

    def changes(self) -> dict:
        """What was typed, as the service takes it."""
        data = {name: self.data.get(name, "") for name in self.fields if name not in ("themes", "comment")}
        data["themes"] = self.data.getlist("themes") if hasattr(self.data, "getlist") else []
        return data
