"""The Atlas update proposal's form in the reference front end. They only parse: the rules are the
services', whose errors come back next to the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from atlas_pages.core.countries import lazy_country_choices
from atlas_pages.models import Project, Theme


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
