"""Forms of the extranet: registration (allauth's signup, pages and headless API), profile,
group change, account deletion, and staff's decisions.

``RegistrationForm`` is allauth's ``ACCOUNT_SIGNUP_FORM_CLASS``: allauth's page form and its
headless signup input both inherit from it, so the same fields and rules hold in both.
It must not import ``allauth.account.forms`` (which imports it).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from atlas_pages.atlas.geography import regions
from atlas_pages.core.countries import lazy_country_choices
from extranet import services
from extranet.groups import ACTOR_GROUPS
from extranet.models import MemberProfile


def group_choices() -> list[tuple[str, str]]:
    return [(slug, label) for slug, label in ACTOR_GROUPS]


def group_field(label) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=group_choices,
        error_messages={"invalid_choice": _("Choose one of the nine actor groups.")},
    )


class MemberDetailsForm(forms.Form):
    """What a member tells about themselves: asked at registration, changed in the profile."""

    civility = forms.ChoiceField(
        label=_("Civility"), choices=[("", "—"), *MemberProfile.Civility.choices], required=False
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=255,
        required=False,
        help_text=_("Your ministry, network, NGO, company or institution."),
    )
    organisation_code = forms.CharField(
        label=_("Official code of the local authority"),
        max_length=20,
        required=False,
        help_text=_("Local authorities: SIREN number (9 digits) or INSEE code (5 characters)."),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=lazy_country_choices,
        required=False,
        help_text=_("Embassies: the country where the embassy is."),
    )
    region = forms.ChoiceField(
        label=_("Region"), choices=(), required=False, help_text=_("Prefectures: the region of the prefecture.")
    )
    position = forms.CharField(label=_("Position"), max_length=255, required=False)
    phone = forms.CharField(label=_("Telephone"), max_length=40, required=False)
    newsletter_opt_in = forms.BooleanField(
        label=_("I subscribe to the monthly newsletter of decentralised cooperation"), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *lazy_country_choices()]
        self.fields["region"].choices = [("", "—"), *regions().items()]

    def group_slug(self) -> str:
        raise NotImplementedError

    def clean(self) -> dict:
        cleaned = super().clean()
        details = {name: cleaned.get(name) for name in services.DETAIL_FIELDS if name in cleaned}
        try:
            cleaned.update(services.validate_member_details(self.group_slug(), details))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    if field in self.fields and field not in self.errors:
                        self.add_error(field, message)
        return cleaned


def fit_to_group(form: forms.Form, group: str) -> None:
    """Only the questions of the member's group, each marked required when its group needs it:
    the official code of a local authority (its name then comes from the official list), the
    country of an embassy (its name is made from it), the region of a prefecture, the
    organisation of everyone else. The service holds the same rules (``validate_member_details``)."""
    fields = form.fields
    for name, owner in (("organisation_code", "collectivites"), ("country", "ambassades"), ("region", "prefectures")):
        if group != owner:
            fields.pop(name, None)
        elif name in fields and not fields[name].disabled:
            fields[name].required = True
    organisation = fields.get("organisation")
    if organisation is None:
        return
    if group == "collectivites":
        organisation.help_text = _("Filled from the official list with the official code.")
    elif group == "ambassades":
        organisation.help_text = _("Left empty, it is “Embassy of France — the country”.")
    elif not organisation.disabled:
        organisation.required = True


class RegistrationForm(MemberDetailsForm):
    """The group-specific part of allauth's signup form (``ACCOUNT_SIGNUP_FORM_CLASS``)."""

    field_order = ["group", "username", "email", "password1", "password2", "password", *services.DETAIL_FIELDS, "terms"]

    group = group_field(_("Your group"))
    terms = forms.BooleanField(
        label=_("I accept the terms of use of the extranet"),
        error_messages={"required": _("You must accept the terms of use to register.")},
    )

    def group_slug(self) -> str:
        return self.cleaned_data.get("group") or ""

    def clean(self) -> dict:
        cleaned = super().clean()
        # allauth would answer a taken address with a silent "check your e-mail"; the
        # registration form names the field instead (usernames are public here anyway).
        if getattr(self, "account_already_exists", False):
            self.account_already_exists = False
            self.add_error("email", _("A member is already registered with this e-mail address."))
        return cleaned

    def signup(self, request, user) -> None:
        """The profile is created with the user, in one transaction, by the account adapter."""


class ProfileForm(MemberDetailsForm):
    """“Vérifier mes informations personnelles”: username and details (e-mail and password
    have allauth's own pages, which re-verify and notify)."""

    field_order = ["username", *services.DETAIL_FIELDS]

    username = forms.CharField(label=_("Username"), max_length=150)

    def __init__(self, *args, user, **kwargs) -> None:
        self.user = user
        profile = services.profile_of(user)
        initial = {"username": user.get_username(), "first_name": user.first_name, "last_name": user.last_name}
        if profile is not None:
            initial.update({name: getattr(profile, name) for name in services.PROFILE_ONLY_FIELDS})
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        profile = services.profile_of(user)
        if profile is not None and profile.status == MemberProfile.Status.APPROVED:
            # What staff verified is shown, not edited here: it changes through a request.
            for name in ("organisation", "organisation_code", "country", "region"):
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "Verified by the CNCD team: to change it, use “My group and organisation”."
                    )
        fit_to_group(self, self.group_slug())

    def group_slug(self) -> str:
        profile = services.profile_of(self.user)
        return profile.actor_group.slug if profile is not None else ""

    def clean_username(self) -> str:
        try:
            return services.clean_new_username(self.user, self.cleaned_data["username"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["username"]) from error

    def save(self):
        return services.update_profile(self.user, **self.cleaned_data)


class GroupChangeForm(MemberDetailsForm):
    """A change of group or organisation, for staff to verify (prefilled with the current one)."""

    field_order = ["group", "organisation", "organisation_code", "country", "region", "motivation"]

    group = group_field(_("Group you belong to now"))
    motivation = forms.CharField(
        label=_("Why are you changing group?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("For example your new position; the CNCD team will verify it."),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        profile = services.profile_of(user)
        if profile is not None:
            kwargs.setdefault(
                "initial",
                {
                    "group": profile.actor_group.slug,
                    **{name: getattr(profile, name) for name in services.AFFILIATION_FIELDS},
                },
            )
        super().__init__(*args, **kwargs)
        for name in [name for name in self.fields if name not in self.Meta.fields]:
            del self.fields[name]

    class Meta:
        fields = ("group", "organisation", "organisation_code", "country", "region", "motivation")

    def group_slug(self) -> str:
        return self.cleaned_data.get("group") or ""

    def clean(self) -> dict:
        return forms.Form.clean(self)  # the service checks the values by the rules of the group asked for


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, user, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("This is not your password."))
        return password


class DecisionForm(forms.Form):
    """Staff's decision on a registration or a group change, in the Wagtail admin."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason (sent to the member when rejecting)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason of the rejection: the applicant will receive it."))
        return cleaned


# --- the personal space: selection, albums of maps, exports -----------------------------------


class BookmarkNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Private note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AlbumForm(forms.Form):
    name = forms.CharField(label=_("Name of the album"), max_length=100)


class SaveMapForm(forms.Form):
    """“Enregistrer cette carte dans mon espace personnel”, under the Atlas map: the filters,
    the area and the zoom are hidden fields the map keeps up to date."""

    NEW = "new"

    title = forms.CharField(label=_("Title of the map"), max_length=255)
    album = forms.ChoiceField(label=_("Album"))
    album_name = forms.CharField(label=_("Name of the new album"), max_length=100, required=False)
    query = forms.CharField(widget=forms.HiddenInput, required=False)
    view_bbox = forms.CharField(widget=forms.HiddenInput, required=False)
    zoom = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, albums=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["album"].choices = [(str(album.pk), album.name) for album in albums] + [
            (self.NEW, _("A new album"))
        ]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        new = data["album"] == self.NEW
        return {
            "title": data["title"],
            "query": data["query"],
            "view_bbox": data["view_bbox"],
            "zoom": data["zoom"],
            "album_id": None if new else int(data["album"]),
            "album_name": data["album_name"] if new else "",
        }


class SendExportForm(forms.Form):
    email = forms.EmailField(label=_("Your colleague's e-mail address"))
    message = forms.CharField(
        label=_("Message"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ContributionForm(forms.Form):
    """A good practice or a testimony a member proposes (``extranet.contributions``)."""

    kind = forms.ChoiceField(
        label=_("What do you propose?"),
        choices=[("good_practice", _("A good practice")), ("testimony", _("A testimony"))],
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Title"), max_length=255)
    teaser = forms.CharField(
        label=_("Summary"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Two sentences, shown in listings and the newsletter."),
    )
    text = forms.CharField(
        label=_("Text"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Leave a blank line between paragraphs."),
    )
    person_name = forms.CharField(label=_("Who testifies (testimony)"), max_length=200, required=False)
    person_role = forms.CharField(label=_("Their role or title (testimony)"), max_length=255, required=False)
    authority = forms.CharField(
        label=_("Local authority that carries it (good practice)"), max_length=255, required=False
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    themes = forms.MultipleChoiceField(label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple)
    projects = forms.TypedMultipleChoiceField(
        label=_("Atlas projects concerned"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    images = forms.TypedMultipleChoiceField(
        label=_("Images kept"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    image = forms.FileField(
        label=_("An image"),
        required=False,
        help_text=_("JPEG, PNG or WebP. The first image illustrates the page in listings and the newsletter."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    image_alt = forms.CharField(
        label=_("What the image shows"),
        max_length=250,
        required=False,
        help_text=_("Read to those who cannot see it; required with an image."),
    )

    def __init__(self, *args, projects=(), images=(), **kwargs) -> None:
        from atlas_pages.models import Theme

        super().__init__(*args, **kwargs)
        self.fields["images"].choices = [(image.pk, image.description or image.title) for image in images]
        if not images:
            del self.fields["images"]
        self.fields["country"].choices = [("", "—"), *lazy_country_choices()]
        self.fields["themes"].choices = [(theme.slug, theme.label) for theme in Theme.objects.all()]
        self.fields["projects"].choices = [(project.pk, project.title) for project in projects]
        if not projects:
            del self.fields["projects"]
