"""The personal space's navigation: the home, then three menus — my content, my procedures, my
profile — instead of fifteen links in a row; the page shown is marked, and so is its menu; the
plugins' links go into the menu they belong to."""

import re
from html import unescape

import pytest

from tests.factories import member_of_authority, member_with_profile

pytestmark = pytest.mark.django_db


def menus(html: str) -> dict[str, list[str]]:
    """Each menu of the personal space's navigation with the labels of its links."""
    nav = unescape(html.split('id="space-navigation"')[1].split("</nav>")[0])
    found = {}
    for label, body in re.findall(r'<button class="fr-nav__btn"[^>]*>([^<]+)</button>(.*?)</ul></div>', nav, re.S):
        found[label] = re.findall(r'class="fr-nav__link"[^>]*>([^<]+)</a>', body)
    return found


def test_three_menus_hold_the_personal_space(client):
    client.force_login(member_of_authority("maire", "69123", "Lyon"))
    html = client.get("/espace-personnel/mes-cartes/").content.decode()
    found = menus(html)
    assert list(found) == ["Mes contenus", "Mes démarches", "Mon profil"]
    assert found["Mes contenus"] == [
        "Ma sélection",
        "Mes cartes",
        "Mes exports PDF",
        "Mes alertes",
        "Mes contributions",
        "Espaces suivis",
        "Mes notifications",
    ]
    assert found["Mes démarches"][:2] == ["Mes télédéclarations", "Dossiers de cofinancement"]
    assert "Ma lettre d'information" in found["Mon profil"] and "Ma lettre d'information" not in found["Mes démarches"]
    assert sum(len(links) for links in found.values()) + 1 >= 15  # nothing was lost on the way
    # The page shown, and its menu, are marked for screen readers and the eye.
    assert re.search(r'aria-current="true">Mes contenus<', html)
    assert re.search(r'href="/espace-personnel/mes-cartes/" target="_self" aria-current="page">Mes cartes<', html)

    html = client.get("/espace-personnel/mes-teledeclarations/").content.decode()
    assert re.search(r'aria-current="true">Mes démarches<', html)
    assert not re.search(r'aria-current="true">Mes contenus<', html)


def test_a_member_who_files_nothing_sees_no_procedure_of_others(client):
    client.force_login(member_with_profile("ong", "ong"))
    found = menus(client.get("/espace-personnel/").content.decode())
    assert found["Mes démarches"] == ["Mes télédéclarations"]
