"""The Atlas in CSV: a round trip gives back the same Atlas; a bad row is reported with its
line and column, and nothing of the file is written."""

import io

import pytest
from django.core.management import CommandError, call_command

from atlas_pages.atlas.csv_files import export, import_csv
from atlas_pages.atlas.generate import clear, generate
from atlas_pages.models import BourseProject, FrenchAuthority, PartnerAuthority, Project

pytestmark = pytest.mark.django_db


def snapshot():
    projects = []
    for project in Project.objects.select_related("country").prefetch_related(
        "french_authorities", "partner_authorities", "themes"
    ):
        projects.append(
            (
                project.title, project.kind, project.status, project.country.iso2, project.start_year,
                project.end_year, project.budget, project.description, project.latitude_abroad,
                project.longitude_abroad, project.latitude_france,
                tuple(sorted(item.code for item in project.french_authorities.all())),
                tuple(sorted(item.name for item in project.partner_authorities.all())),
                tuple(sorted(item.slug for item in project.themes.all())),
            )
        )  # fmt: skip
    authorities = set(FrenchAuthority.objects.values_list("code", "kind", "name", "region", "latitude"))
    partners = set(PartnerAuthority.objects.values_list("country__iso2", "name", "kind", "latitude"))
    return sorted(projects, key=repr), authorities, partners


def test_round_trip(tmp_path, client):
    generate(projects=60, authorities=150, countries=6, seed=11)
    before = snapshot()
    for kind in ("authorities", "partners", "projects"):
        call_command("atlas_export", kind, output=str(tmp_path / f"{kind}.csv"))
    clear()
    assert not Project.objects.exists()
    for kind in ("authorities", "partners", "projects"):
        call_command("atlas_import", kind, str(tmp_path / f"{kind}.csv"))
    assert snapshot() == before
    # Imported projects are found by the search like any other.
    title = before[0][0][0]
    found = client.get("/api/atlas/projects/", {"q": title, "limit": 100}).json()["items"]
    assert title in [item["title"] for item in found]


def test_reimport_updates_by_id():
    generate(projects=5, authorities=30, countries=2, seed=3)
    stream = io.StringIO()
    export("projects", stream)
    text = stream.getvalue().replace(Project.objects.order_by("pk").first().title, "Titre corrigé")
    result = import_csv("projects", io.StringIO(text))
    assert (result.created, result.updated, result.faults) == (0, 5, [])
    assert Project.objects.filter(title="Titre corrigé").count() == 1
    assert Project.objects.count() == 5


HEADER = (
    "id,title,kind,status,country,french_authorities,partner_authorities,themes,start_year,end_year,budget,"
    "description,contact,latitude_france,longitude_france,latitude_abroad,longitude_abroad\n"
)


def test_bad_rows_are_reported_and_nothing_is_written(capsys):
    FrenchAuthority.objects.create(code="69123", name="Lyon", kind="commune", region="Auvergne-Rhône-Alpes")
    rows = [
        ",Eau à Dakar,project,ongoing,SN,69123,,eau-assainissement,2018,,1000,Bon,,45.7,4.8,14.7,-17.4",
        ",Sans pays,project,ongoing,XX,69123,,,2018,,,,,,,,",
        ",Mauvaise année,project,ongoing,SN,69123,,,deux-mille,,,,,,,,",
        ",Fin avant début,project,ongoing,SN,69123,,,2018,2010,,,,,,,",
        ",Collectivité inconnue,project,ongoing,SN,99999,,,2018,,,,,,,,",
        ",Thème inconnu,project,ongoing,SN,69123,,peche,2018,,,,,,,,",
        ",Latitude seule,project,ongoing,SN,69123,,,2018,,,,,,,14.7,",
        ",Partenaire inconnu,jumelage,ongoing,SN,69123,Ville de Nulle Part,,2018,,,,,,,,",
    ]
    result = import_csv("projects", io.StringIO(HEADER + "\n".join(rows) + "\n"))
    assert [(fault.line, fault.column) for fault in result.faults] == [
        (3, "country"),
        (4, "start_year"),
        (5, "end_year"),
        (6, "french_authorities"),
        (7, "themes"),
        (8, "longitude_abroad"),
        (9, "kind"),
    ]
    assert str(result.faults[0]) == "ligne 3, colonne country : Code pays inconnu « XX » (ISO 3166 alpha-2)."
    assert not Project.objects.exists()  # the good first row is not written either


def test_import_command_reports_and_fails(tmp_path, capsys):
    path = tmp_path / "projects.csv"
    path.write_text(HEADER + ",Sans pays,project,ongoing,XX,1,,,2018,,,,,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("atlas_import", "projects", str(path))
    assert "ligne 2, colonne country" in capsys.readouterr().err


def test_missing_columns_are_named():
    result = import_csv("partners", io.StringIO("country,name\nSN,Dakar\n"))
    assert result.faults[0].line == 1
    assert "kind" in result.faults[0].column and "latitude" in result.faults[0].column


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the foreign keys are checked at commit
def test_generating_over_an_atlas_the_procedures_point_at_is_refused_whole():
    from forms.bourse.models import BourseEvent

    generate(projects=5, authorities=20, countries=2, seed=3)
    entry = BourseProject.objects.first()
    BourseEvent.objects.create(entry=entry, action="recorded")
    before = Project.objects.count()
    with pytest.raises(CommandError) as refused:
        call_command("atlas_generate", projects=10, authorities=30, countries=2)
    assert "fresh database" in str(refused.value) and "load_demo" in str(refused.value)
    assert Project.objects.count() == before and BourseProject.objects.filter(pk=entry.pk).exists()


def test_authorities_are_checked_against_the_official_list_naming_the_row_and_column():
    header = "code,kind,name,region,department,department_code,latitude,longitude\n"
    rows = [
        "26198,commune,Montélimar,Auvergne-Rhône-Alpes,Drôme,26,44.56,4.75",
        "26999,commune,Nulle-part,Auvergne-Rhône-Alpes,Drôme,26,44.5,4.7",  # no such commune
        "200046977,commune,Métropole de Lyon,Auvergne-Rhône-Alpes,Rhône,69,45.76,4.83",  # an EPCI
        "R84,region,Auvergne-Rhône-Alpes (région),Auvergne-Rhône-Alpes,,,45.76,4.83",
    ]
    result = import_csv("authorities", io.StringIO(header + "\n".join(rows) + "\n"))
    assert [(fault.line, fault.column) for fault in result.faults] == [(3, "code"), (4, "kind")]
    assert "« 26999 »" in str(result.faults[0]) and "Etalab" in str(result.faults[0])
    assert str(result.faults[1]) == "ligne 4, colonne kind : La liste officielle a 200046977 comme Intercommunalité."
    assert not FrenchAuthority.objects.exists()
    result = import_csv("authorities", io.StringIO(header + rows[0] + "\n" + rows[3] + "\n"))
    assert (result.created, result.faults) == (2, [])
