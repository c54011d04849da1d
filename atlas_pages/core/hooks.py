"""The ``cncd_*`` hooks: the written contract between the CNCD plugins.

A plugin that offers something to the others, or asks them for something, does it through a
Wagtail hook named here, never by importing them (see the import-linter contracts in
``pyproject.toml``). Each hook says who calls it, with what, and what it expects back. Apps
register with ``register(NAME)`` and call with ``implementations(NAME)``; both refuse a name that
is not in ``CONTRACT``, so a misspelt hook fails at start-up instead of doing nothing.

Hooks that render (``…_actions``, ``…_links``) return HTML they have escaped themselves; the
caller joins them (``{% plugin_blocks %}`` in ``atlas_pages.templatetags.cncd_navigation``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wagtail import hooks as wagtail_hooks


@dataclass(frozen=True)
class Hook:
    name: str
    signature: str
    purpose: str
    called_by: str


PAGE_ACTIONS = "cncd_page_actions"
ATLAS_SEARCH_ACTIONS = "cncd_atlas_search_actions"
BOURSE_ENTRY_ACTIONS = "cncd_bourse_entry_actions"
ATLAS_COUNTRY_PAGES = "cncd_atlas_country_pages"
PERSONAL_SPACE_LINKS = "cncd_personal_space_links"
PERSONAL_SPACE_PROFILE_LINKS = "cncd_personal_space_profile_links"
DECLARATIONS = "cncd_declarations"
PERSONAL_DATA = "cncd_personal_data"
PERSONAL_DATA_COVERAGE = "cncd_personal_data_coverage"
BEFORE_ACCOUNT_DELETION = "cncd_before_account_deletion"
REFUSE_API_CALLER = "cncd_refuse_api_caller"
KEEP_ATLAS_EXPORT = "cncd_keep_atlas_export"
RECIPIENT_LANGUAGES = "cncd_recipient_languages"
MAIL_SENT = "cncd_mail_sent"
DOSSIER_ACCEPTED = "cncd_dossier_accepted"
ATLAS_UPDATE_ACCEPTED = "cncd_atlas_update_accepted"
ATLAS_PROJECT_NOTES = "cncd_atlas_project_notes"
SITE_SEARCH = "cncd_site_search"
HOME_SECTIONS = "cncd_home_sections"

CONTRACT: tuple[Hook, ...] = (
    Hook(
        HOME_SECTIONS,
        "fn(request, home_page) -> str (HTML)",
        "A section at the end of the home page (the members' latest discussions, how to share an experience).",
        "atlas_pages.editorial (home_page.html)",
    ),
    Hook(
        SITE_SEARCH,
        "fn(request, terms: list[str]) -> str (HTML)",
        "More results of the site search, under the pages (the discussions of the thematic spaces "
        "the reader may enter).",
        "atlas_pages.editorial.views.search (search.html)",
    ),
    Hook(
        PAGE_ACTIONS,
        "fn(request, page) -> str (HTML)",
        "Buttons under an editorial page the reader may read (the bookmark button).",
        "atlas_pages.editorial (editorial_page.html)",
    ),
    Hook(
        ATLAS_SEARCH_ACTIONS,
        "fn(request, search: dict | None) -> str (HTML)",
        "Buttons under the Atlas map for the current search (save the map, keep the PDF).",
        "atlas_pages.atlas (atlas/search.html)",
    ),
    Hook(
        BOURSE_ENTRY_ACTIONS,
        "fn(request, entry: BourseProject) -> str (HTML)",
        "A link under a Bourse-projets entry (express an interest, manage the entry).",
        "atlas_pages.atlas (atlas/bourse.html)",
    ),
    Hook(
        ATLAS_COUNTRY_PAGES,
        "fn(iso2: str) -> list[Page]",
        "Published pages about a country, shown on its Atlas page (the country zooms).",
        "atlas_pages.atlas.front",
    ),
    Hook(
        KEEP_ATLAS_EXPORT,
        "fn(user, params: QueryDict, scope: str, ids: list[int]) -> dict {id, status, project_count}",
        "Keep a large Atlas PDF for the member, made in the background and announced by e-mail.",
        "atlas_pages.atlas.api (GET /api/atlas/projects.pdf above CNCD_PDF_IMMEDIATE_LIMIT projects)",
    ),
    Hook(
        PERSONAL_SPACE_LINKS,
        "fn(request, subject=None) -> str (HTML, extranet.navigation.space_link); register with order=",
        "An entry of the personal space's “My procedures” menu for those it concerns.",
        "extranet (personal_space_nav.html)",
    ),
    Hook(
        PERSONAL_SPACE_PROFILE_LINKS,
        "fn(request, subject=None) -> str (HTML, extranet.navigation.space_link); register with order=",
        "An entry of the personal space's “My profile” menu (a setting of the member's own).",
        "extranet (personal_space_nav.html)",
    ),
    Hook(
        DECLARATIONS,
        "fn(user) -> list[extranet.declarations.Declaration]",
        "What the member filed, for “Mes télédéclarations” (sorted there by date).",
        "extranet.declarations",
    ),
    Hook(
        PERSONAL_DATA,
        "fn(user) -> dict (JSON-serialisable)",
        "The app's part of the member's personal data download (RGPD art. 15 and 20).",
        "extranet.services.personal_data",
    ),
    Hook(
        PERSONAL_DATA_COVERAGE,
        'fn() -> dict[str, str]: {"app.Model.field": how it is exported and deleted}',
        "Declares how every field pointing to a member is handled; a test checks none is missing.",
        "tests/forms/test_personal_data_complete.py",
    ),
    Hook(
        BEFORE_ACCOUNT_DELETION,
        "fn(user) -> None",
        "Anonymise or delete the app's records (and files) before the account is deleted.",
        "extranet.services.delete_account",
    ),
    Hook(
        REFUSE_API_CALLER,
        "fn(user) -> str (a refusal message) or ''",
        "Refuse an app-token caller as the middleware refuses a session (MFA not set up).",
        "atlas_pages.core.auth.SessionTokenAuth",
    ),
    Hook(
        RECIPIENT_LANGUAGES,
        "fn(addresses: list[str]) -> dict[str, str]: {address: language code}",
        "The language each recipient reads (a subscriber's chosen language); the first answer wins.",
        "atlas_pages.core.mail",
    ),
    Hook(
        DOSSIER_ACCEPTED,
        "fn(dossier) -> None (in the decision's transaction)",
        "A co-financing dossier was accepted: its project goes to the Atlas through the moderation of updates.",
        "forms.dossiers.services.decide",
    ),
    Hook(
        ATLAS_UPDATE_ACCEPTED,
        "fn(update, project) -> None (in the moderation's transaction)",
        "Staff accepted an Atlas update: the procedure it came from links the project (a funded dossier).",
        "forms.atlas_updates.services.accept",
    ),
    Hook(
        ATLAS_PROJECT_NOTES,
        "fn(project, user) -> list[dict {label, url}]",
        "Lines shown on an Atlas project's page and in the API (the co-financing dossier it comes from).",
        "atlas_pages.atlas.front.project_context, atlas_pages.atlas.api (project detail)",
    ),
    Hook(
        MAIL_SENT,
        "fn(addresses: list[str], subject: str, body: str, url: str) -> None",
        "A message the member should find again was sent (the personal space keeps a notice).",
        "atlas_pages.core.mail (when sent with keep_notice=True)",
    ),
)

NAMES = frozenset(hook.name for hook in CONTRACT)


def _known(name: str) -> str:
    if name not in NAMES:
        raise LookupError(f"{name!r} is not a hook of the CNCD contract (atlas_pages.core.hooks.CONTRACT)")
    return name


def register(name: str, fn: Callable | None = None, order: int = 0) -> Any:
    """``@register(NAME)`` or ``register(NAME, fn)``, as Wagtail's own ``hooks.register``."""
    return wagtail_hooks.register(_known(name), fn, order=order)


def implementations(name: str) -> list[Callable]:
    """What the installed apps registered for the hook, in their order."""
    return wagtail_hooks.get_hooks(_known(name))
