"""Members share their experiences: from the personal space, a verified member proposes a good
practice or a testimony (text, country, themes, the Atlas projects concerned). The proposal is a
draft page of the rubric, submitted to Wagtail's moderation workflow: an editor publishes it, or
sends it back with a comment, and the author is told either way. Published, the page is credited
to the member's organisation.

The member's text is plain text: it is escaped, and its blank lines make the paragraphs. Images
are uploaded first (``upload_image``, with their description as alt text), then named in the
proposal: the first illustrates the page (listings, home, newsletter), all follow the text."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model
from wagtail.models import Locale, WorkflowState

from atlas_pages.core import mail
from atlas_pages.core.countries import is_country_code
from atlas_pages.core.exceptions import Conflict, Forbidden, NotFound
from atlas_pages.core.links import site_url
from atlas_pages.core.uploads import check_upload
from atlas_pages.models import EditorialPage, GoodPracticePage, Project, RubricIndexPage, TestimonyPage, Theme
from extranet import services

KINDS: dict[str, tuple[type[EditorialPage], str]] = {
    "good_practice": (GoodPracticePage, RubricIndexPage.Kind.GOOD_PRACTICES),
    "testimony": (TestimonyPage, RubricIndexPage.Kind.TESTIMONIES),
}
LIMITS = {"title": 255, "teaser": 600, "text": 20000, "person_name": 200, "person_role": 255, "authority": 255}
MAX_PROJECTS, MAX_THEMES, MAX_IMAGES = 20, 10, 5
#: What a member may upload as an illustration: photographs and drawings, judged by their content.
IMAGES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}
ALT_MAX = 250
COLLECTION = "Contributions des membres"


class NotSentBack(Conflict):
    default_message = _("This proposal is being reviewed or already published: it can no longer be changed.")


@dataclass
class Contribution:
    page: EditorialPage
    state: str  # waiting, sent_back, published
    comment: str

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


STATE_LABELS = {
    "waiting": _("Waiting for the editors"),
    "sent_back": _("Sent back to you"),
    "published": _("Published"),
}


def _contributor(user: User) -> str:
    """A verified member proposes; returns the organisation the page will be credited to."""
    if not services.member_groups(user):  # a group is given when staff verify the registration
        raise Forbidden(_("Verified members propose pages: your registration is not verified yet."))
    profile = services.profile_of(user)
    return profile.organisation if profile is not None else ""


def _paragraphs(text: str) -> list:
    """Plain text as the page's body: escaped, a paragraph per blank-line-separated block."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
    html = "".join("<p>{}</p>".format(escape(block).replace("\n", "<br>")) for block in blocks)
    return [("paragraph", html)]


def plain_text(page: EditorialPage) -> str:
    """The body back as the member typed it (for changing a proposal sent back)."""
    from html import unescape

    from django.utils.html import strip_tags

    blocks = []
    for block in page.body:
        if block.block_type != "paragraph":
            continue
        html = str(block.value).replace("<br>", "\n")
        blocks += [unescape(strip_tags(part)).strip() for part in html.split("</p>")]
    return "\n\n".join(block for block in blocks if block)


def clean(kind: str, data: dict[str, Any], user: User | None = None) -> dict[str, Any]:
    """What the member typed, checked; each fault named by its field."""
    errors: dict[str, list] = {}
    if kind not in KINDS:
        raise ValidationError({"kind": [_("Choose a good practice or a testimony.")]})
    cleaned: dict[str, Any] = {}
    required = ["title", "teaser", "text"] + (["person_name", "person_role"] if kind == "testimony" else [])
    for name, limit in LIMITS.items():
        value = (data.get(name) or "").strip()
        if name in required and not value:
            errors[name] = [_("This field is required.")]
        elif len(value) > limit:
            errors[name] = [_("At most %(max)d characters.") % {"max": limit}]
        cleaned[name] = value
    country = (data.get("country") or "").strip().upper()
    if country and not is_country_code(country):
        errors["country"] = [_("Choose a country from the list (ISO 3166 code).")]
    cleaned["country"] = country
    slugs = list(dict.fromkeys(data.get("themes") or []))[: MAX_THEMES + 1]
    themes = list(Theme.objects.filter(slug__in=slugs))
    if len(slugs) > MAX_THEMES or len(themes) != len(slugs):
        errors["themes"] = [_("Choose up to %(max)d themes from the list.") % {"max": MAX_THEMES}]
    cleaned["themes"] = themes
    ids = [value for value in (data.get("projects") or []) if isinstance(value, int)][: MAX_PROJECTS + 1]
    projects = list(Project.objects.filter(pk__in=ids))
    if len(ids) > MAX_PROJECTS or len(projects) != len(set(ids)) or len(ids) != len(data.get("projects") or []):
        errors["projects"] = [_("Choose up to %(max)d projects of the Atlas.") % {"max": MAX_PROJECTS}]
    cleaned["projects"] = projects
    cleaned["images"] = []
    if user is not None:
        wanted = [value for value in (data.get("images") or []) if isinstance(value, int)][: MAX_IMAGES + 1]
        found = {image.pk: image for image in get_image_model().objects.filter(pk__in=wanted, uploaded_by_user=user)}
        if len(wanted) > MAX_IMAGES or len(found) != len(set(wanted)) or len(wanted) != len(data.get("images") or []):
            errors["images"] = [_("Choose up to %(max)d of the images you uploaded.") % {"max": MAX_IMAGES}]
        cleaned["images"] = [found[pk] for pk in dict.fromkeys(wanted) if pk in found]
    if errors:
        raise ValidationError(errors)
    return cleaned


def upload_image(user: User, upload, alt: str):
    """An illustration for a proposal: a Wagtail image of the member's, in the contributions'
    collection, its description (the alt text) required. Named in a proposal by its id."""
    from django.core.files.images import ImageFile
    from wagtail.models import Collection

    _contributor(user)
    errors: dict[str, list] = {}
    alt = (alt or "").strip()
    if not alt:
        errors["alt"] = [_("Describe the image for those who cannot see it.")]
    elif len(alt) > ALT_MAX:
        errors["alt"] = [_("At most %(max)d characters.") % {"max": ALT_MAX}]
    try:
        checked = check_upload(upload, "file", IMAGES)
    except ValidationError as error:
        errors.update(error.message_dict)
        checked = None
    if errors or checked is None:
        raise ValidationError(errors)
    collection = Collection.objects.filter(name=COLLECTION).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=COLLECTION)
    try:
        return get_image_model().objects.create(
            title=alt[:255],
            description=alt,
            file=ImageFile(upload, name=checked.name),
            uploaded_by_user=user,
            collection=collection,
        )
    except Exception as error:  # Pillow could not read it after all
        raise ValidationError({"file": [_("This image cannot be read: send a JPEG, PNG or WebP file.")]}) from error


def _fill(page: EditorialPage, cleaned: dict[str, Any]) -> None:
    page.title, page.teaser, page.country = cleaned["title"], cleaned["teaser"], cleaned["country"]
    page.body = _paragraphs(cleaned["text"]) + [
        ("image", {"image": image, "caption": image.description, "credit": page.contributor_organisation})
        for image in cleaned["images"]
    ]
    page.image = cleaned["images"][0] if cleaned["images"] else None
    if isinstance(page, TestimonyPage):
        page.person_name, page.person_role = cleaned["person_name"], cleaned["person_role"]
        page.kind = TestimonyPage.Kind.ELECTED
    if isinstance(page, GoodPracticePage):
        page.authority = cleaned["authority"]
    page.themes.set(cleaned["themes"])
    page.related_projects.set(cleaned["projects"])


def _rubric(kind: str) -> RubricIndexPage:
    rubric = (
        RubricIndexPage.objects.live().filter(kind=KINDS[kind][1], locale=Locale.get_default()).order_by("path").first()
    )
    if rubric is None:
        raise NotFound(_("The site has no rubric for this kind of page yet."))
    return rubric


@transaction.atomic
def propose(user: User, kind: str, data: dict[str, Any]) -> Contribution:
    """A draft page of the rubric, submitted to the editors' moderation workflow."""
    organisation = _contributor(user)
    cleaned = clean(kind, data, user)
    model = KINDS[kind][0]
    rubric = _rubric(kind)
    page = model(title=cleaned["title"], teaser=cleaned["teaser"], live=False, owner=user)
    page.contributor, page.contributor_organisation = user, organisation
    _fill(page, cleaned)
    rubric.add_child(instance=page)  # (saves the themes and projects set in memory with it)
    page.save_revision(user=user, log_action=True)
    _quiet_admin_notifications(user)
    workflow = page.get_workflow()
    if workflow is None:
        raise NotFound(_("The site has no moderation workflow for this rubric."))
    workflow.start(page, user)
    return _describe(page)


@transaction.atomic
def resubmit(user: User, page_id: int, data: dict[str, Any]) -> Contribution:
    """The member changes a proposal the editors sent back, and submits it again."""
    page = _own(user, page_id)
    state = page.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        raise NotSentBack()
    kind = "testimony" if isinstance(page, TestimonyPage) else "good_practice"
    cleaned = clean(kind, data, user)
    _fill(page, cleaned)
    page.save_revision(user=user, log_action=True)
    state.resume(user)
    return _describe(page)


def _quiet_admin_notifications(user: User) -> None:
    """The member is told by the site's own e-mails (``tell_author``), which link to the personal
    space: Wagtail's, written for editors and linking to an admin they cannot open, are turned off."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.approved_notifications = profile.rejected_notifications = False
    profile.save(update_fields=["approved_notifications", "rejected_notifications"])


def _own(user: User, page_id: int) -> EditorialPage:
    """The member's proposal as last saved (its latest revision: a resubmitted text is not on the
    page's row until it is published)."""
    page = EditorialPage.objects.filter(pk=page_id, contributor=user, alias_of__isnull=True).first()
    if page is None:
        raise NotFound()
    return page.specific.get_latest_revision_as_object()


def images_of(page: EditorialPage) -> list:
    """The images the proposal shows, in their order."""
    return [block.value["image"] for block in page.body if block.block_type == "image" and block.value["image"]]


def _describe(page: EditorialPage) -> Contribution:
    if page.live:
        return Contribution(page=page, state="published", comment="")
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        task = state.task_states.order_by("-finished_at", "-pk").first()
        return Contribution(page=page, state="sent_back", comment=(task.get_comment() if task else "") or "")
    return Contribution(page=page, state="waiting", comment="")


def mine(user: User) -> list[Contribution]:
    """The member's proposals, newest first, with where each stands."""
    # (a published page's alias on the English site carries its fields: it is not another proposal)
    pages = (
        EditorialPage.objects.filter(contributor=user, alias_of__isnull=True)
        .select_related("latest_revision")
        .order_by("-pk")
        .specific()
    )
    # A proposal not yet published is as its latest revision says (the row keeps the first text).
    return [
        _describe(page if page.live or not page.latest_revision else page.latest_revision.as_object()) for page in pages
    ]


def contribution(user: User, page_id: int) -> Contribution:
    return _describe(_own(user, page_id))


# --- the author is told --------------------------------------------------------------------------


def tell_author(page, published: bool) -> None:
    """After the editors' decision, the member who proposed the page is told (and keeps the notice)."""
    page = page.specific
    author = getattr(page, "contributor", None)
    if author is None or not author.email:
        return
    described = _describe(page) if not published else Contribution(page=page, state="published", comment="")
    mail.send(
        "extranet/email/contribution_published" if published else "extranet/email/contribution_sent_back",
        [author.email],
        context={
            "title": page.title,
            "comment": described.comment,
            "url": site_url(page.url) if published and page.url else site_url("/espace-personnel/mes-contributions/"),
        },
        keep_notice=True,
    )


def _on_decision(published: bool):
    def receiver(sender, instance, user=None, **kwargs) -> None:
        page = getattr(instance, "content_object", None)
        if page is not None and getattr(page.specific, "contributor_id", None):
            tell_author(page, published)

    return receiver


def connect() -> None:
    """Wagtail's workflow signals tell the author (called once, from the app's hooks)."""
    from wagtail.signals import workflow_approved, workflow_rejected

    workflow_approved.connect(_on_approved, dispatch_uid="cncd-contribution-approved")
    workflow_rejected.connect(_on_rejected, dispatch_uid="cncd-contribution-rejected")


_on_approved = _on_decision(published=True)
_on_rejected = _on_decision(published=False)
