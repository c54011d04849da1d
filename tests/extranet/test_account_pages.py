"""allauth's pages are the site's DSFR pages, in French; Moderators verify registrations."""

from html import unescape

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from extranet.models import ActorGroup, MemberProfile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path,title",
    [
        ("/accounts/login/", "Connexion"),
        ("/accounts/password/reset/", "Réinitialisation du mot de passe"),
        ("/accounts/confirm-email/", "Vérifiez votre adresse e-mail"),
    ],
)
def test_entrance_pages_in_the_site_layout(client, path, title):
    html = unescape(client.get(path).content.decode())
    assert 'class="fr-header"' in html and 'id="footer"' in html
    assert title in html


@pytest.mark.parametrize(
    "path,title", [("/accounts/email/", "Adresse e-mail"), ("/accounts/password/change/", "Modifier le mot de passe")]
)
def test_account_pages_sit_in_the_personal_space(member_client, path, title):
    html = unescape(member_client.get(path).content.decode())
    assert title in html
    assert 'aria-label="Mon espace personnel"' in html
    assert 'class="fr-btn' in html


def test_moderators_verify_registrations_without_being_superusers():
    moderator = UserFactory(username="moderatrice", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    assert moderator.has_perm("extranet.change_memberprofile")
    applicant = UserFactory(username="candidat")
    profile = MemberProfile.objects.create(
        user=applicant, actor_group=ActorGroup.objects.get(slug="prefectures"), organisation="Préfecture du Nord"
    )
    client = Client()
    client.force_login(moderator)
    listing = unescape(client.get("/admin/extranet/memberprofile/?status__exact=pending").content.decode())
    assert "candidat" in listing and "Vérifier" in listing
    response = client.post(f"/admin/extranet/memberprofile/decide/{profile.pk}/", {"decision": "approve"})
    assert response.status_code == 302
    assert applicant.groups.filter(name="Préfectures").exists()


def test_editors_without_the_permission_do_not_see_the_queue():
    editor = UserFactory(username="editeur", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    assert not Permission.objects.filter(group__name="Editors", codename="change_memberprofile").exists()
    client = Client()
    client.force_login(editor)
    assert client.get("/admin/extranet/memberprofile/?status__exact=pending").status_code in (302, 403)
    applicant = UserFactory(username="candidat")
    profile = MemberProfile.objects.create(
        user=applicant, actor_group=ActorGroup.objects.get(slug="ong"), organisation="Association"
    )
    response = client.post(f"/admin/extranet/memberprofile/decide/{profile.pk}/", {"decision": "approve"})
    assert response.status_code in (302, 403)
    profile.refresh_from_db()
    assert profile.status == MemberProfile.Status.PENDING
