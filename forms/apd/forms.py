"""The e-APD declaration's forms in the reference front end. They only parse: the rules are the
services', whose errors come back next to the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forms.apd.models import ApdLine

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
