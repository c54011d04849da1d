"""The load benchmark's data, run in ``manage.py shell`` under production settings: the demo
(``load_demo --force-production`` ran first), the Atlas at full scale (``atlas_generate``), at
least 1,000 published pages with about 30 % padlocked (to a group, or to members), and 200
approved members across the nine groups, each with an app session (what allauth's app login
would hand out: logging 200 people in would measure password hashing, meant to be slow). Prints
the members' session tokens, comma-separated."""

import datetime as dt
import random
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import PageViewRestriction

from atlas_pages.models import ArticlePage, RubricIndexPage
from extranet.groups import ACTOR_GROUP_SLUGS
from extranet.models import ActorGroup, MemberProfile

PAGES, PADLOCKED, MEMBERS = 1_000, 0.3, 200
rng = random.Random(18)  # noqa: S311 — reproducible data


def pages() -> None:
    rubrics = list(RubricIndexPage.objects.live())
    groups = list(Group.objects.filter(actor_group__isnull=False))
    existing = ArticlePage.objects.count()
    for number in range(max(PAGES - existing, 0)):
        rubric = rubrics[number % len(rubrics)]
        page = ArticlePage(
            title=f"Article de charge {number}",
            slug=f"article-de-charge-{number}",
            teaser="Une actualité de la coopération décentralisée, pour la mesure de charge.",
            date=dt.date(2026, 1 + number % 11, 1 + number % 28),
            body=[("paragraph", "<p>" + "Le corps de l'article. " * 40 + "</p>")],
            live=True,
        )
        rubric.add_child(instance=page)
        if rng.random() < PADLOCKED:
            if rng.random() < 0.5:
                PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
            else:
                restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
                restriction.groups.set(rng.sample(groups, 2))


def members() -> list[str]:
    User = get_user_model()
    tokens = []
    groups = {group.slug: group for group in ActorGroup.objects.select_related("group")}
    for number in range(MEMBERS):
        slug = ACTOR_GROUP_SLUGS[number % len(ACTOR_GROUP_SLUGS)]
        user, _ = User.objects.get_or_create(
            username=f"charge-{number}", defaults={"email": f"charge-{number}@example.org", "first_name": "Membre"}
        )
        user.groups.add(groups[slug].group)
        MemberProfile.objects.update_or_create(
            user=user,
            defaults={"actor_group": groups[slug], "organisation": f"Organisme {number}", "status": "approved"},
        )
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        tokens.append(session.session_key)
    return tokens


with transaction.atomic():
    pages()
    tokens = members()
print("PAGES", ArticlePage.objects.live().count(), PageViewRestriction.objects.count())
print("TOKENS", ",".join(tokens))
