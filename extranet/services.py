"""What the extranet does for members, used by both the API and the pages.

Rules are here once: the registration form, the profile page and ``PATCH /api/me/`` all
validate through ``validate_member_details``; field errors are ``ValidationError`` dicts
(the API answers them as 422 with the field's name, the pages next to the field).
"""

import re
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from atlas_pages.atlas.geography import regions
from atlas_pages.core import hooks as cncd_hooks
from atlas_pages.core import mail
from atlas_pages.core.countries import country_name, is_country_code
from atlas_pages.core.exceptions import Forbidden
from atlas_pages.core.links import site_url
from extranet.exceptions import GroupRequestPending, ReasonRequired, RegistrationAlreadyDecided
from extranet.models import ActorGroup, GroupChangeRequest, MemberProfile


def actor_groups() -> list[ActorGroup]:
    """The nine groups, in their display order (one query)."""
    return list(ActorGroup.objects.select_related("group").order_by("position"))


def member_groups(user: User) -> list[ActorGroup]:
    """The actor groups this user belongs to."""
    if not user.is_authenticated:
        return []
    return list(ActorGroup.objects.filter(group__user=user).select_related("group").order_by("position"))


# --- member details ---------------------------------------------------------------------------

USER_FIELDS = ("first_name", "last_name")
PROFILE_ONLY_FIELDS = (
    "civility",
    "organisation",
    "organisation_code",
    "country",
    "region",
    "position",
    "phone",
    "newsletter_opt_in",
)
DETAIL_FIELDS = ("civility", *USER_FIELDS, *PROFILE_ONLY_FIELDS[1:])
#: What staff verify with the group, at registration and at every change afterwards: once the
#: registration is approved, these change only through a request staff approve.
AFFILIATION_FIELDS = ("organisation", "organisation_code", "country", "region")

# SIREN (9 digits), SIRET (14) or INSEE code of a commune (2A/2B for Corsica).
# Also the Atlas's codes of regions (R + INSEE code) and departments (D + code).
ORGANISATION_CODE = re.compile(r"^(\d{9}|\d{14}|(\d{2}|2A|2B)\d{3}|R\d{2}|D(\d{2}|2A|2B|97\d))$")
PHONE = re.compile(r"^\+?[\d\s().-]{6,25}$")


def profile_of(user: User) -> MemberProfile | None:
    if not user.is_authenticated:
        return None
    return MemberProfile.objects.select_related("actor_group__group").filter(user=user).first()


def verified_profile(user: User) -> MemberProfile | None:
    """The member's profile as staff verified it: only an approved registration's values
    (group, organisation, official code, country, region) may decide what the member sees."""
    profile = profile_of(user)
    if profile is None or profile.status != MemberProfile.Status.APPROVED:
        return None
    return profile


def _normalised(name: str, value: Any) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    return value.replace(" ", "").upper() if name in ("organisation_code", "country") else value


def locked_affiliation_errors(profile: MemberProfile | None, changes: dict[str, Any]) -> dict[str, list]:
    """The affiliation fields a member tries to change directly once staff approved them."""
    if profile is None or profile.status != MemberProfile.Status.APPROVED:
        return {}
    message = _(
        "Verified by the CNCD team: ask for the change in “My group and organisation” "
        "(/espace-personnel/changement-de-groupe/, or POST /api/me/group-requests/)."
    )
    return {
        name: [message]
        for name in AFFILIATION_FIELDS
        if name in changes and _normalised(name, changes[name]) != _normalised(name, getattr(profile, name))
    }


def validate_member_details(group_slug: str, details: dict[str, Any]) -> dict[str, Any]:
    """Cleans what a member says about themselves, by the rules of their group.

    Returns the cleaned values; raises ``ValidationError({field: [message]})`` naming each
    field at fault.
    """
    errors: dict[str, list] = {}
    cleaned: dict[str, Any] = {}
    for name, value in details.items():
        if name == "newsletter_opt_in":
            cleaned[name] = bool(value)
        else:
            cleaned[name] = (value or "").strip() if isinstance(value, str) or value is None else value
    for name in USER_FIELDS:
        if name in cleaned and not cleaned[name]:
            errors.setdefault(name, []).append(_("This field is required."))
    if cleaned.get("civility") and cleaned["civility"] not in MemberProfile.Civility.values:
        errors.setdefault("civility", []).append(_("Choose Ms or Mr, or leave empty."))
    if "country" in cleaned:
        cleaned["country"] = cleaned["country"].upper()
        if cleaned["country"] and not is_country_code(cleaned["country"]):
            errors.setdefault("country", []).append(_("Choose a country from the list (ISO 3166 code)."))
    if group_slug == "ambassades" and "country" in cleaned and not cleaned["country"]:
        errors.setdefault("country", []).append(_("An embassy gives the country where it is."))
    if cleaned.get("region") and cleaned["region"] not in regions():
        errors.setdefault("region", []).append(_("Choose a region from the list (INSEE code)."))
    if group_slug == "prefectures" and "region" in cleaned and not cleaned["region"]:
        errors.setdefault("region", []).append(_("A prefecture gives its region."))
    if "organisation_code" in cleaned:
        cleaned["organisation_code"] = cleaned["organisation_code"].replace(" ", "").upper()
        if cleaned["organisation_code"] and not ORGANISATION_CODE.match(cleaned["organisation_code"]):
            errors.setdefault("organisation_code", []).append(
                _("Enter a SIREN number (9 digits), a SIRET number (14 digits) or an INSEE code (5 characters).")
            )
        elif cleaned["organisation_code"] and group_slug == "collectivites":
            _check_against_the_official_list(cleaned, errors)
        elif group_slug == "collectivites":
            errors.setdefault("organisation_code", []).append(
                _("Give the official code of your local authority (SIREN or INSEE code): the CNCD team verifies it.")
            )
    if "organisation" in cleaned and not cleaned["organisation"]:
        if group_slug == "ambassades" and cleaned.get("country") and "country" not in errors:
            with translation.override(settings.LANGUAGE_CODE):  # stored in the extranet's language
                cleaned["organisation"] = gettext("Embassy of France — %(country)s") % {
                    "country": country_name(cleaned["country"])
                }
        elif group_slug not in ("ambassades", "collectivites"):  # theirs come from the country, the code
            errors.setdefault("organisation", []).append(_("Name the organisation you belong to."))
    phone = cleaned.get("phone")
    if phone and (not PHONE.match(phone) or sum(ch.isdigit() for ch in phone) < 6):
        errors.setdefault("phone", []).append(_("Enter a telephone number, for example +33 1 53 69 30 00."))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_against_the_official_list(cleaned: dict[str, Any], errors: dict[str, list]) -> None:
    """A local authority is named by its official code (INSEE code, SIREN or SIRET, R + a
    région's code, D + a département's), checked against the official list; its name then
    fills the organisation, and the code is kept as the Atlas writes it."""
    from atlas_pages.atlas import official

    authority = official.find(cleaned["organisation_code"])
    if authority is None:
        errors.setdefault("organisation_code", []).append(
            _("No French local authority has this official code (%(source)s): check it, or write to the DAECT.")
            % {"source": official.SOURCE}
        )
        return
    cleaned["organisation_code"] = authority.atlas_code
    if not cleaned.get("organisation"):
        cleaned["organisation"] = authority.name


def create_registration(user: User, data: dict[str, Any]) -> MemberProfile:
    """The registration of a new account: pending until staff verify it."""
    group_slug = data.get("group") or ""
    actor = ActorGroup.objects.filter(slug=group_slug).first()
    if actor is None:
        raise ValidationError({"group": [_("Choose one of the nine actor groups.")]})
    details = validate_member_details(group_slug, {name: data.get(name) for name in DETAIL_FIELDS})
    return MemberProfile.objects.create(
        user=user,
        actor_group=actor,
        terms_accepted_at=timezone.now() if data.get("terms") else None,
        **{name: details[name] for name in PROFILE_ONLY_FIELDS},
    )


def clean_new_username(user: User, username: str) -> str:
    """A new username for ``user``: allauth's rules, unique whatever the case."""
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": [_("This field is required.")]})
    adapter = get_adapter()
    same_account = username.lower() == user.get_username().lower()
    try:
        return adapter.clean_username(username, shallow=same_account)
    except ValidationError as error:
        raise ValidationError({"username": error.messages}) from error


def update_profile(user: User, **changes: Any) -> User:
    """Saves the fields given (and only those) after validating them with the rest of the profile.

    ``username`` is validated like at registration; the member details by the rules of the
    member's group. Raises ``ValidationError`` naming each field at fault; nothing is saved then.
    """
    errors: dict[str, list] = {}
    username = None
    if "username" in changes:
        try:
            username = clean_new_username(user, changes["username"])
        except ValidationError as error:
            errors.update(error.message_dict)
    profile = profile_of(user)
    errors.update(locked_affiliation_errors(profile, changes))
    details = {name: changes[name] for name in DETAIL_FIELDS if name in changes}
    if profile is None:
        details = {name: value for name, value in details.items() if name in USER_FIELDS}
    try:
        details = validate_member_details(profile.actor_group.slug if profile else "", _merged(user, profile, details))
    except ValidationError as error:
        errors.update({name: messages for name, messages in error.message_dict.items() if name not in errors})
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        user_fields = [name for name in USER_FIELDS if name in changes]
        for name in user_fields:
            setattr(user, name, details[name])
        if username is not None and username != user.get_username():
            setattr(user, User.USERNAME_FIELD, username)
            user_fields.append(User.USERNAME_FIELD)
        if user_fields:
            try:
                with transaction.atomic():
                    user.save(update_fields=user_fields)
            except IntegrityError as error:  # the same name taken a moment ago
                raise ValidationError({"username": [_("A user with that username already exists.")]}) from error
        if profile is not None:
            profile_fields = [name for name in PROFILE_ONLY_FIELDS if getattr(profile, name) != details[name]]
            for name in profile_fields:
                setattr(profile, name, details[name])
            if profile_fields:
                profile.save(update_fields=profile_fields)
    return user


def _merged(user: User, profile: MemberProfile | None, changes: dict[str, Any]) -> dict[str, Any]:
    current: dict[str, Any] = {name: getattr(user, name) for name in USER_FIELDS}
    if profile is not None:
        current.update({name: getattr(profile, name) for name in PROFILE_ONLY_FIELDS})
    return {**current, **changes}


# --- registrations and group changes: staff decide ----------------------------------------------


def approval_status(user: User) -> str:
    """Where the user's registration stands; accounts made by staff (no profile) count as approved."""
    profile = MemberProfile.objects.filter(user=user).only("status").first()
    return profile.status if profile is not None else MemberProfile.Status.APPROVED


def _decide(model: type[MemberProfile] | type[GroupChangeRequest], pk: int, by: User, approve: bool, reason: str):
    """Records staff's decision once (a second decision is a conflict) and logs it."""
    with transaction.atomic():
        request = model.objects.select_for_update().get(pk=pk)
        if request.status != model.Status.PENDING:
            raise RegistrationAlreadyDecided()
        request.status = model.Status.APPROVED if approve else model.Status.REJECTED
        request.decided_at = timezone.now()
        request.decided_by = by
        request.decision_reason = reason
        request.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
        request = model.objects.select_related("user", "actor_group__group").get(pk=pk)
        kind = "registration" if model is MemberProfile else "group_change"
        log(
            instance=request,
            action=f"cncd.{kind}.{'approve' if approve else 'reject'}",
            user=by,
            data={"group": request.actor_group.slug, "reason": reason},
        )
        if approve:
            _join_group(request.user, request.actor_group, only=model is GroupChangeRequest)
            if model is GroupChangeRequest:
                MemberProfile.objects.filter(user=request.user).update(
                    **{name: getattr(request, name) for name in AFFILIATION_FIELDS}
                )
    return request


def _join_group(user: User, actor: ActorGroup, *, only: bool) -> None:
    if only:  # a change of group: the member leaves the actor groups they were in
        user.groups.remove(*[group.pk for group in user.groups.filter(actor_group__isnull=False)])
        MemberProfile.objects.filter(user=user).update(actor_group=actor)
    user.groups.add(actor.group)


def _rejection_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(field="reason")
    return reason


def approve_registration(profile: MemberProfile, by: User) -> MemberProfile:
    """Staff verified the registration: the member joins the group and is told by e-mail."""
    profile = _decide(MemberProfile, profile.pk, by, True, "")
    _notify(profile, "registration_approved")
    return profile


def reject_registration(profile: MemberProfile, by: User, reason: str) -> MemberProfile:
    """Staff could not verify the registration: the applicant receives the reason."""
    profile = _decide(MemberProfile, profile.pk, by, False, _rejection_reason(reason))
    _notify(profile, "registration_rejected")
    return profile


def request_group_change(user: User, group_slug: str | None, motivation: str, **affiliation: Any) -> GroupChangeRequest:
    """A member asks to change group, organisation, official code, country or region; staff
    verify it like a registration. What is not given stays as it is; the new values are
    checked by the rules of the group asked for."""
    errors: dict[str, list] = {}
    profile = profile_of(user)
    current_groups = member_groups(user)
    group_slug = group_slug or (profile.actor_group.slug if profile else "")
    actor = ActorGroup.objects.select_related("group").filter(slug=group_slug).first()
    if actor is None:
        errors["group"] = [_("Choose one of the nine actor groups.")]
    unknown = set(affiliation) - set(AFFILIATION_FIELDS)
    if unknown:
        raise ValueError(f"not an affiliation field: {sorted(unknown)}")
    asked = {name: getattr(profile, name) if profile else "" for name in AFFILIATION_FIELDS}
    asked.update({name: value for name, value in affiliation.items() if value is not None})
    if actor is not None:
        try:
            asked = {
                name: value
                for name, value in validate_member_details(actor.slug, asked).items()
                if name in AFFILIATION_FIELDS
            }
        except ValidationError as error:
            errors.update(error.message_dict)
    if not errors and actor is not None:
        same_group = any(group.pk == actor.pk for group in current_groups)
        same_values = profile is not None and all(
            _normalised(name, asked[name]) == _normalised(name, getattr(profile, name)) for name in AFFILIATION_FIELDS
        )
        if same_group and (same_values or profile is None):
            errors["group"] = [_("You already belong to this group, with this organisation: nothing would change.")]
    motivation = (motivation or "").strip()
    if not motivation:
        errors["motivation"] = [_("Say why your affiliation changes: the CNCD team will verify it.")]
    if errors:
        raise ValidationError(errors)
    assert actor is not None  # an unknown group is one of the errors above
    try:
        with transaction.atomic():
            return GroupChangeRequest.objects.create(user=user, actor_group=actor, motivation=motivation, **asked)
    except IntegrityError as error:
        raise GroupRequestPending() from error


def group_requests(user: User) -> list[GroupChangeRequest]:
    return list(GroupChangeRequest.objects.filter(user=user).select_related("actor_group__group"))


def approve_group_change(request: GroupChangeRequest, by: User) -> GroupChangeRequest:
    request = _decide(GroupChangeRequest, request.pk, by, True, "")
    _notify(request, "group_change_approved")
    return request


def reject_group_change(request: GroupChangeRequest, by: User, reason: str) -> GroupChangeRequest:
    request = _decide(GroupChangeRequest, request.pk, by, False, _rejection_reason(reason))
    _notify(request, "group_change_rejected")
    return request


def _notify(request: MemberProfile | GroupChangeRequest, template: str) -> None:
    """The decision e-mail (through the mail room), never with a password."""
    mail.send(
        f"extranet/email/{template}",
        [request.user.email],
        context_from="extranet.services.decision_context",
        context_args={"model": request._meta.model_name, "pk": request.pk},
        keep_notice=True,
    )


def decision_context(model: str, pk: int) -> dict:
    """What a decision e-mail says, read when it is sent."""
    models: dict[str, type[MemberProfile] | type[GroupChangeRequest]] = {
        "memberprofile": MemberProfile,
        "groupchangerequest": GroupChangeRequest,
    }
    found = models[model].objects.select_related("user", "actor_group__group")
    request = found.get(pk=pk)
    return {
        "request": request,
        "user": request.user,
        "group_name": request.actor_group.group.name,
        "reason": request.decision_reason,
        "personal_space_url": site_url(reverse("extranet:personal_space")),
        "login_url": site_url(reverse("account_login")),
        "url": reverse("extranet:personal_space"),
    }


# --- personal data ------------------------------------------------------------------------------


def _when(value) -> str | None:
    return value.isoformat() if value else None


def personal_data(user: User) -> dict[str, Any]:
    """Everything the site holds about the member, for them to download (JSON-ready).

    Other apps add their part with the ``cncd_personal_data`` hook: ``fn(user) -> dict``.
    """
    profile = profile_of(user)
    data: dict[str, Any] = {
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "groups": [actor.slug for actor in member_groups(user)],
        "registration": None,
        "group_change_requests": [
            {
                "group": request.actor_group.slug,
                **{name: getattr(request, name) for name in AFFILIATION_FIELDS},
                "motivation": request.motivation,
                "status": request.status,
                "asked_at": _when(request.created_at),
                "decided_at": _when(request.decided_at),
                "decision_reason": request.decision_reason,
            }
            for request in group_requests(user)
        ],
    }
    if profile is not None:
        data["registration"] = {
            "group": profile.actor_group.slug,
            "status": profile.status,
            "registered_at": _when(profile.created_at),
            "terms_accepted_at": _when(profile.terms_accepted_at),
            "decided_at": _when(profile.decided_at),
            "decision_reason": profile.decision_reason,
            **{name: getattr(profile, name) for name in PROFILE_ONLY_FIELDS},
        }
    data["bookmarks"] = [
        {"title": item.title, "page_id": item.page_id, "note": item.note, "added_at": _when(item.created_at)}
        for item in user.bookmarks.all()
    ]
    data["map_albums"] = [
        {
            "name": album.name,
            "maps": [
                {
                    "title": saved.title,
                    "filters": saved.query,
                    "view_bbox": saved.view_bbox,
                    "zoom": saved.zoom,
                    "saved_at": _when(saved.created_at),
                }
                for saved in album.maps.all()
            ],
        }
        for album in user.map_albums.prefetch_related("maps")
    ]
    data["notifications"] = [
        {
            "subject": item.subject,
            "body": item.body,
            "sent_at": _when(item.created_at),
            "read": item.read_at is not None,
        }
        for item in user.notices.all()
    ]
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    data["authenticators"] = [  # what kind and when, never a secret
        {"type": item.type, "created_at": _when(item.created_at), "last_used_at": _when(item.last_used_at)}
        for item in Authenticator.objects.filter(user=user).order_by("pk")
    ]
    data["linked_accounts"] = [
        {"provider": item.provider, "uid": item.uid, "last_login": _when(item.last_login)}
        for item in SocialAccount.objects.filter(user=user).order_by("pk")
    ]
    for contribute in cncd_hooks.implementations(cncd_hooks.PERSONAL_DATA):
        data.update(contribute(user))
    return data


def delete_account(user: User, password: str) -> None:
    """The member deletes their account, after typing their password.

    Apps keep what others rely on (dossiers, opinions) through the
    ``cncd_before_account_deletion`` hook, ``fn(user)``, which anonymises it; the decision
    history of the registration stays in the log without the member's name.
    """
    if not user.check_password(password or ""):
        raise ValidationError({"password": [_("This is not your password.")]})
    if user.is_staff:
        raise Forbidden(_("Staff accounts are closed by an administrator, not from the personal space."))
    delete_account_for_good(user)


def delete_account_for_good(user: User) -> None:
    """The deletion itself, once it is decided (by the member, or for an unused account)."""
    with transaction.atomic():
        for anonymise in cncd_hooks.implementations(cncd_hooks.BEFORE_ACCOUNT_DELETION):
            anonymise(user)
        deleted = gettext("Deleted account")
        for model, ids in (
            (MemberProfile, MemberProfile.objects.filter(user=user).values_list("pk", flat=True)),
            (GroupChangeRequest, GroupChangeRequest.objects.filter(user=user).values_list("pk", flat=True)),
        ):
            ModelLogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in ids]
            ).update(label=deleted)
        user.delete()


def personal_space_counts(user: User) -> dict[str, Any]:
    """What the personal-space home counts, in one query."""
    counts = (
        User.objects.filter(pk=user.pk)
        .annotate(
            selection=Count("bookmarks", distinct=True),
            albums=Count("map_albums", distinct=True),
            exports=Count("atlas_exports", distinct=True),
        )
        .values("selection", "albums", "exports")
        .first()
    )
    return dict(counts) if counts else {"selection": 0, "albums": 0, "exports": 0}
