"""Factories shared by every test module."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from extranet.models import ActorGroup

PASSWORD = "Un-mot-de-passe-solide-2026"
#: The authenticator app's secret of every staff account the tests make (the policy requires
#: multi-factor authentication of staff): ``totp_code(STAFF_TOTP_SECRET)`` is its current code.
STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def app_token(username: str) -> str:
    """Logs in through allauth's headless app API and returns its ``X-Session-Token``."""
    from django.test import Client

    login = Client().post(
        "/_allauth/app/v1/auth/login", {"username": username, "password": PASSWORD}, content_type="application/json"
    )
    return login.json()["meta"]["session_token"]


def totp_code(secret: str, at: float | None = None) -> str:
    """The code an authenticator app shows now (RFC 6238: HMAC-SHA1, 30 s, 6 digits), computed
    here independently of allauth, with at least 6 s of validity left."""
    import base64
    import hashlib
    import hmac
    import struct
    import time

    if at is None:
        # A code is valid for its 30 s window only (allauth's tolerance is none): near the end of
        # one, wait for the next, so that the code is still valid when the server checks it.
        left = 30 - time.time() % 30
        if left < 6:
            time.sleep(left + 0.05)
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**6
    return f"{value:06d}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = "Dominique"
    last_name = "Martin"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        if create:
            user.save()
            EmailAddress.objects.get_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def authenticator_app(user, create, extracted, **kwargs):
        """Staff accounts have set up their authenticator app, as the policy requires."""
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP

        wanted = extracted if extracted is not None else (user.is_staff or user.is_superuser)
        if create and wanted and not Authenticator.objects.filter(user=user, type="totp").exists():
            TOTP.activate(user, STAFF_TOTP_SECRET)


class MemberFactory(UserFactory):
    """A member of the actor groups named by slug: MemberFactory(groups=["ambassades"])."""

    @factory.post_generation
    def groups(user, create, extracted, **kwargs):
        if create and extracted:
            for actor in ActorGroup.objects.filter(slug__in=extracted).select_related("group"):
                user.groups.add(actor.group)


# --- editorial pages ------------------------------------------------------------------------

import datetime as dt  # noqa: E402

from django.contrib.auth.models import Group  # noqa: E402
from django.utils.text import slugify  # noqa: E402
from wagtail.models import Page, PageViewRestriction, Site  # noqa: E402

from atlas_pages.models import ArticlePage, RubricIndexPage, Theme  # noqa: E402


def home_page() -> Page:
    return Site.objects.get(is_default_site=True).root_page.specific


def add_page(parent: Page, model: type[Page], **fields) -> Page:
    """Creates and publishes a page like an editor would (a revision, then publish)."""
    fields.setdefault("slug", slugify(fields["title"]))
    page = model(**fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def add_rubric(title: str = "Actualités", kind: str = "news", **fields) -> RubricIndexPage:
    return add_page(home_page(), RubricIndexPage, title=title, kind=kind, show_in_menus=True, **fields)


def add_article(rubric: Page, title: str, *, body: str = "", date: dt.date | None = None, **fields) -> ArticlePage:
    themes = fields.pop("themes", [])
    target_groups = fields.pop("target_groups", [])
    page = add_page(
        rubric,
        ArticlePage,
        title=title,
        teaser=fields.pop("teaser", f"Chapô de « {title} »."),
        date=date or dt.date(2026, 11, 5),
        body=[("paragraph", f"<p>{body or 'Corps public de ' + title}</p>")],
        **fields,
    )
    if themes:
        page.themes.set(Theme.objects.filter(slug__in=themes))
    if target_groups:
        page.target_groups.set(Group.objects.filter(actor_group__slug__in=target_groups))
    if themes or target_groups:
        page.save_revision().publish()
    return page


def padlock(page: Page, *group_slugs: str) -> PageViewRestriction:
    """Restricts the page (and its subtree) to logged-in members, or to the given groups."""
    if not group_slugs:
        return PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set(Group.objects.filter(actor_group__slug__in=group_slugs))
    return restriction


# --- teleprocedures ---------------------------------------------------------------------------


def add_call(title: str = "Appel à projets 2027", *, opens=None, closes=None, **fields):
    """A published call for projects under the calls' index (created when missing)."""
    from django.utils import timezone

    from forms.models import CallForProjectsIndexPage, CallForProjectsPage, RequiredOpinion

    index = CallForProjectsIndexPage.objects.first() or add_page(
        home_page(), CallForProjectsIndexPage, title="Appels à projets", slug="appels-a-projets"
    )
    now = timezone.now()
    opinions = fields.pop("required_opinions", [])
    page = add_page(
        index,
        CallForProjectsPage,
        title=title,
        intro=fields.pop("intro", "Soutien aux projets de coopération décentralisée."),
        opens_at=opens or now - dt.timedelta(days=30),
        closes_at=closes or now + dt.timedelta(days=30),
        budget_envelope=fields.pop("budget_envelope", 1_000_000),
        required_opinions=[RequiredOpinion(body=body, days=days) for body, days in opinions],
        **fields,
    )
    return page


def member_of_authority(username: str, code: str, name: str, region: str = "Auvergne-Rhône-Alpes"):
    """A verified member of `collectivites` whose profile names this authority of the Atlas."""
    from atlas_pages.models import FrenchAuthority
    from extranet.models import MemberProfile

    authority, _ = FrenchAuthority.objects.get_or_create(
        code=code, defaults={"name": name, "kind": "commune", "region": region}
    )
    user = MemberFactory(username=username, groups=["collectivites"])
    MemberProfile.objects.create(
        user=user,
        actor_group=ActorGroup.objects.get(slug="collectivites"),
        organisation=authority.name,
        organisation_code=code,
        status=MemberProfile.Status.APPROVED,
    )
    return user


def member_with_profile(username: str, group: str, **profile):
    from extranet.models import MemberProfile

    user = MemberFactory(username=username, groups=[group])
    MemberProfile.objects.create(
        user=user,
        actor_group=ActorGroup.objects.get(slug=group),
        organisation=profile.pop("organisation", group),
        status=MemberProfile.Status.APPROVED,
        **profile,
    )
    return user


def add_apd_campaign(year: int = 2026, *, open_now: bool = True, **fields):
    """An e-APD campaign for ``year``, open now (or closed a week ago)."""
    from django.utils import timezone

    from forms.models import ApdCampaign

    now = timezone.now()
    opens, closes = (now - dt.timedelta(days=10), now + dt.timedelta(days=50))
    if not open_now:
        opens, closes = (now - dt.timedelta(days=90), now - dt.timedelta(days=7))
    return ApdCampaign.objects.create(
        year=year, opens_at=opens, closes_at=closes, instructions="<p>Déclarez vos dépenses.</p>", **fields
    )


def add_project(title: str, authority_code: str, country: str = "SN", **fields):
    """An Atlas project of the French authority ``authority_code`` in ``country``."""
    from atlas_pages.models import Country, FrenchAuthority, Project

    project = Project.objects.create(
        title=title, country=Country.objects.get(iso2=country), start_year=fields.pop("start_year", 2022), **fields
    )
    project.french_authorities.add(FrenchAuthority.objects.get(code=authority_code))
    return project


# --- thematic spaces ------------------------------------------------------------------------------


def add_space(title: str, *group_slugs: str, members: bool = False, **fields):
    """A published thematic space under the spaces' index (created when missing): public, for
    logged-in members (``members=True``), or for the given groups."""
    from extranet.models import SpaceIndexPage, SpacePage

    index = SpaceIndexPage.objects.first() or add_page(
        home_page(), SpaceIndexPage, title="Espaces thématiques", slug="espaces"
    )
    fields.setdefault("teaser", f"On parle de {title.lower()}.")
    space = add_page(index, SpacePage, title=title, **fields)
    if members or group_slugs:
        padlock(space, *group_slugs)
    return space


def moderator(username: str = "moderatrice"):
    """A member of Wagtail's Moderators (staff, with the authenticator app), who moderate the spaces."""
    user = UserFactory(username=username, is_staff=True, first_name="Mona", last_name="Dératrice")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user
