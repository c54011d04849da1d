"""Personal data, complete (RGPD): every place that names an account or an e-mail address is
covered by the download or the deletion, the download holds what every app keeps, the deletion
takes the newsletter subscription with it, and unused accounts are warned, then deleted."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.utils import timezone

from atlas_pages.core import hooks as cncd_hooks
from extranet import services
from extranet.models import MemberProfile
from forms.models import Dossier, DossierMessage
from newsletter.models import Subscription
from tests.atlas_pages.test_atlas_pdf import atlas  # noqa: F401 (fixture)
from tests.factories import PASSWORD, member_with_profile
from tests.forms.conftest import COMPLETE
from tests.forms.test_dossier_visibility import create, submit

pytestmark = pytest.mark.django_db
User = get_user_model()


def personal_fields() -> set[str]:
    """Every field of every installed model that points at an account (many-to-many ones too) or
    holds an address (an inherited field is named on the model that declares it)."""
    found = set()
    for model in apps.get_models():
        for field in [*model._meta.concrete_fields, *model._meta.local_many_to_many]:
            points_at_user = field.is_relation and field.related_model is User
            if points_at_user or isinstance(field, models.EmailField):
                found.add(f"{field.model._meta.label}.{field.name}")
    return found


def coverage() -> dict[str, str]:
    covered: dict[str, str] = {}
    for contribute in cncd_hooks.implementations(cncd_hooks.PERSONAL_DATA_COVERAGE):
        covered.update(contribute())
    return covered


def test_every_field_naming_an_account_or_an_address_is_covered():
    found, covered = personal_fields(), coverage()
    assert sorted(found - covered.keys()) == [], "covered by neither the download nor the deletion"
    assert sorted(covered.keys() - found) == [], "coverage names fields that do not exist"


def test_what_the_coverage_says_is_exported_is_in_the_download(member):
    keys = services.personal_data(member).keys()
    promised = {
        how.split("export: ")[1].split(";")[0].split(" ")[0] for how in coverage().values() if "export: " in how
    }
    assert promised <= keys


def test_the_download_holds_dossiers_opinions_messages_and_the_subscription(people, call):
    dossier = create(people.lyon, call, **COMPLETE)
    submit(people.lyon, dossier)
    people.lyon.post(f"/api/dossiers/{dossier['id']}/messages/", {"body": "Une question sur le budget."})
    people.lyon.put(
        "/api/newsletter/subscriptions/me", {"subscribed": True}, content_type="application/json"
    )  # fmt: skip
    data = people.lyon.get("/api/me/export/").json()
    assert [item["title"] for item in data["dossiers"]] == [COMPLETE["title"]]
    assert [item["body"] for item in data["dossier_messages"]] == ["Une question sur le budget."]
    assert [item["state"] for item in data["newsletter_subscriptions"]] == ["confirmed"]
    for key in ("opinions", "apd_declarations", "atlas_updates", "bourse_entries", "bourse_interests"):
        assert data[key] == []


def test_deleting_the_account_takes_the_subscription_and_keeps_the_dossier_anonymised(people, call):
    dossier = create(people.lyon, call, **COMPLETE)
    people.lyon.post(f"/api/dossiers/{dossier['id']}/messages/", {"body": "Bonjour"})
    user = people.users.lyon
    Subscription.objects.create(email=user.email.upper(), source="public_form", state="confirmed")
    response = people.lyon.post("/api/me/delete/", {"password": PASSWORD}, content_type="application/json")
    assert response.status_code == 204
    assert not Subscription.objects.filter(email=user.email.lower()).exists()
    kept = Dossier.objects.get(pk=dossier["id"])
    assert kept.created_by is None and kept.title == COMPLETE["title"]
    assert DossierMessage.objects.get(dossier=kept).author_name == "Compte supprimé"


def test_unused_accounts_are_warned_then_deleted_unless_the_member_comes_back(capsys):
    days = settings.CNCD_ACCOUNT_RETENTION_DAYS
    long_ago = timezone.now() - timedelta(days=days + 1)
    gone = member_with_profile("parti", "ong")
    back = member_with_profile("revenu", "ong")
    recent = member_with_profile("actif", "ong")
    User.objects.filter(pk__in=[gone.pk, back.pk]).update(last_login=long_ago, date_joined=long_ago)
    User.objects.filter(pk=recent.pk).update(last_login=timezone.now())

    call_command("prune_inactive_accounts")
    assert "2 account(s) warned, 0 deleted." in capsys.readouterr().out
    assert sorted(message.to[0] for message in mail.outbox) == sorted([gone.email, back.email])
    assert "supprimé" in mail.outbox[0].body and "/accounts/login/" in mail.outbox[0].body
    call_command("prune_inactive_accounts")
    assert "0 account(s) warned, 0 deleted." in capsys.readouterr().out  # warned once

    later = timezone.now() + timedelta(days=settings.CNCD_ACCOUNT_RETENTION_NOTICE_DAYS + 1)
    User.objects.filter(pk=back.pk).update(last_login=timezone.now() + timedelta(days=2))
    MemberProfile.objects.update(retention_warned_at=timezone.now() - timedelta(minutes=1))
    from extranet.retention import prune

    done = prune(now=later)
    assert done.deleted == ["parti"]
    assert not User.objects.filter(pk=gone.pk).exists()
    assert User.objects.filter(pk=back.pk).exists() and User.objects.filter(pk=recent.pk).exists()
    assert MemberProfile.objects.get(user=back).retention_warned_at is None


def test_the_atlas_exports_are_in_the_download_and_their_files_go_with_the_account(
    atlas,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from extranet.models import AtlasExport
    from tests.factories import MemberFactory

    member = MemberFactory(username="exportatrice", groups=["collectivites"])
    client = Client()
    client.force_login(member)
    response = client.post("/api/me/exports/", {"query": "country=SN"}, content_type="application/json")
    assert response.status_code == 201, response.content
    export = AtlasExport.objects.get(owner=member)
    path = export.file.path
    assert Path(path).exists()
    assert [item["filters"] for item in client.get("/api/me/export/").json()["atlas_exports"]] == ["country=SN"]
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post("/api/me/delete/", {"password": PASSWORD}, content_type="application/json").status_code == 204
        )
    assert not AtlasExport.objects.filter(pk=export.pk).exists()
    assert not Path(path).exists()
