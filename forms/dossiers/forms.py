"""The co-financing dossier's forms in the reference front end. They only parse: the rules are the
services', whose errors come back next to the fields (``budget.2.amount`` on the third line)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from atlas_pages.core.countries import lazy_country_choices
from atlas_pages.models import Theme
from forms.dossiers.models import BudgetLine, Dossier, Opinion


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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # In the budget's table each input sits under its column's heading: it is named for
        # screen readers with the column and the line ("Montant (EUR), ligne 2").
        number = (self.prefix or "").rpartition("-")[2]
        for field in self.fields.values():
            label = str(field.label)
            if number.isdigit():
                label = _("%(column)s, line %(line)d") % {"column": field.label, "line": int(number) + 1}
            field.widget.attrs["aria-label"] = label

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
