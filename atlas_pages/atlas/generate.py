"""A realistic, reproducible Atlas dataset: ``manage.py atlas_generate`` and ``load_demo``.

Real country codes and names (pycountry), real French local authorities (régions,
départements, and communes and intercommunalities drawn from the official list, ``official``),
plausible coordinates inside each country's bounding box; partner authorities and projects are
invented from a fixed vocabulary. The same seed always gives the same dataset.
"""

import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction

from atlas_pages.atlas import index as atlas_index
from atlas_pages.atlas import official
from atlas_pages.atlas.fulltext import stems
from atlas_pages.atlas.geography import REGION_CAPITALS, departments, regions
from atlas_pages.atlas.models import (
    BourseProject,
    Country,
    FrenchAuthority,
    PartnerAuthority,
    Project,
    point,
    search_text,
)
from atlas_pages.core.taxonomy import Theme
from atlas_pages.core.themes import THEMES

#: Where French decentralised cooperation is densest: always among the chosen countries, first.
CORE_COUNTRIES = [
    "SN", "BF", "ML", "MG", "MA", "TN", "BJ", "NE", "CM", "HT", "VN", "CI", "DE", "PL", "RO", "IT", "ES", "GB",
    "CA", "BR", "CN", "JP", "LB", "PS", "IL", "AM", "GN", "MR", "TG", "TD", "CD", "CG", "GA", "DZ", "KH", "LA",
    "IN", "US", "MX", "CL", "UA", "MD", "HU", "CZ", "BE", "PT", "GR", "AR", "PE", "CO", "NI", "BO", "KM", "DJ",
]  # fmt: skip

SYLLABLES = [
    "ka", "ma", "bou", "ndi", "ta", "sa", "ko", "di", "ba", "lo", "ri", "na", "go", "tou", "mba", "ke", "zi", "la",
    "fa", "dou", "ye", "nga", "wa", "ha", "an", "el", "or", "in", "ve", "qui", "san", "do", "ra", "mi", "to",
]  # fmt: skip
PARTNER_KIND_WORDS = {
    PartnerAuthority.Kind.REGION: "Région de",
    PartnerAuthority.Kind.DISTRICT: "District de",
    PartnerAuthority.Kind.MUNICIPALITY: "Commune de",
    PartnerAuthority.Kind.OTHER: "Communauté de",
}
ACTIONS = {
    "gouvernance-locale": ["Appui à la gouvernance locale", "Renforcement de l’état civil", "Formation des élus"],
    "developpement-economique": ["Soutien aux filières locales", "Marché de producteurs", "Appui aux artisans"],
    "eau-assainissement": ["Accès à l’eau potable", "Réseau d’assainissement", "Forages et bornes-fontaines"],
    "environnement-climat-energie": ["Plan climat territorial", "Électrification solaire", "Reboisement"],
    "agriculture-alimentation": ["Sécurité alimentaire", "Maraîchage communautaire", "Coopératives agricoles"],
    "sante-social": ["Centre de santé communautaire", "Prévention et santé maternelle", "Action sociale"],
    "education-jeunesse": ["Échanges de jeunes", "Construction d’écoles", "Formation professionnelle"],
    "culture-patrimoine": ["Festival culturel", "Valorisation du patrimoine", "Lecture publique et francophonie"],
    "tourisme": ["Tourisme solidaire", "Office de tourisme", "Itinéraires de découverte"],
    "urbanisme-amenagement": ["Schéma d’aménagement urbain", "Adressage des rues", "Habitat social"],
    "dechets": ["Gestion des déchets ménagers", "Tri et valorisation", "Centre d’enfouissement"],
    "humanitaire-crise": ["Aide d’urgence", "Reconstruction post-crise", "Accueil des déplacés"],
    "numerique": ["Services publics numériques", "Cartographie participative", "Espace numérique"],
    "egalite-femmes-hommes": ["Autonomisation des femmes", "Égalité femmes-hommes", "Entrepreneuriat féminin"],
}
CURRENT_YEAR = 2026


@dataclass
class Generated:
    authorities: int
    partners: int
    projects: int
    countries: int
    bourse: int


def _foreign_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _jitter(rng: random.Random, lat: float, lng: float, spread: float) -> tuple[float, float]:
    return round(lat + rng.gauss(0, spread), 5), round(lng + rng.gauss(0, spread * 1.4), 5)


def _inside(rng: random.Random, country: Country) -> tuple[float, float]:
    """A point in the middle part of the country's bounding box (less sea than the corners)."""
    lat_span = country.max_latitude - country.min_latitude
    lng_span = country.max_longitude - country.min_longitude
    lat = country.min_latitude + lat_span * rng.uniform(0.2, 0.8)
    lng = country.min_longitude + lng_span * rng.uniform(0.2, 0.8)
    return round(lat, 5), round(lng, 5)


def clear() -> None:
    """Removes the Atlas dataset (countries and continents stay: they are reference data).

    Rows go in one statement per table (Django's collector takes seconds for 12,000 projects);
    the database's own foreign keys still refuse it if something else points at them.
    """
    for model in (
        BourseProject,
        Project.french_authorities.through,
        Project.partner_authorities.through,
        Project.themes.through,
        Project,
        PartnerAuthority,
        FrenchAuthority,
    ):
        queryset = model.objects.all()
        queryset._raw_delete(queryset.db)


def _french_authorities(rng: random.Random, total: int) -> list[FrenchAuthority]:
    deps = departments()
    by_code = {dep.code: dep for dep in deps}
    rows: list[FrenchAuthority] = []
    for code, name in regions().items():
        capital = by_code[REGION_CAPITALS[code]]
        rows.append(
            FrenchAuthority(
                code=f"R{code}",
                kind=FrenchAuthority.Kind.REGION,
                name=f"{name} (région)",
                region=name,
                location=point(capital.lat, capital.lng),
                latitude=capital.lat,
                longitude=capital.lng,
            )
        )
    for dep in deps:
        rows.append(
            FrenchAuthority(
                code=f"D{dep.code}",
                kind=FrenchAuthority.Kind.DEPARTMENT,
                name=f"{dep.name} (département)",
                region=dep.region,
                department=dep.name,
                department_code=dep.code,
                location=point(dep.lat, dep.lng),
                latitude=dep.lat,
                longitude=dep.lng,
            )
        )
    rows = rows[:total]
    # Communes and intercommunalities: real ones, from the official list, placed near the
    # centre of their département.
    pool = [item for item in official.every(("epci", "commune")) if item.department in by_code]
    for item in rng.sample(pool, min(max(total - len(rows), 0), len(pool))):
        dep = by_code[item.department]
        lat, lng = _jitter(rng, dep.lat, dep.lng, 0.25 if not dep.code.startswith("97") else 0.05)
        rows.append(
            FrenchAuthority(
                code=item.atlas_code,
                kind=item.atlas_kind,
                name=item.name,
                region=dep.region,
                department=dep.name,
                department_code=dep.code,
                location=point(lat, lng),
                latitude=lat,
                longitude=lng,
            )
        )
    return rows


#: France and the overseas collectivities are not partner countries.
FRENCH_TERRITORIES = {"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "WF", "PF", "NC"}


def _area(country: Country) -> float:
    return (country.max_latitude - country.min_latitude) * (country.max_longitude - country.min_longitude)


def _countries(rng: random.Random, count: int) -> list[Country]:
    everything = {country.iso2: country for country in Country.objects.all()}
    chosen = [everything[code] for code in CORE_COUNTRIES if code in everything][:count]
    others = sorted(
        code
        for code, country in everything.items()
        if code not in CORE_COUNTRIES and code not in FRENCH_TERRITORIES and _area(country) > 1.0
    )
    rng.shuffle(others)
    chosen += [everything[code] for code in others[: max(0, count - len(chosen))]]
    return chosen


@transaction.atomic
def analyze() -> None:
    """Fresh statistics for the planner after a bulk load: without them PostgreSQL guessed
    thousands of links for a page of 20 projects and scanned the link tables (10 ms each)."""
    tables = [Project, FrenchAuthority, PartnerAuthority, BourseProject, Project.french_authorities.through]
    tables += [Project.partner_authorities.through, Project.themes.through]
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute("ANALYZE " + connection.ops.quote_name(model._meta.db_table))


def generate(
    *, projects: int = 12_000, authorities: int = 4_756, countries: int = 140, seed: int = 1, bourse: int | None = None
) -> Generated:
    """Replaces the Atlas dataset with a generated one."""
    rng = random.Random(seed)  # noqa: S311 (reproducible test data, not secrets)
    clear()
    FrenchAuthority.objects.bulk_create(_french_authorities(rng, authorities), batch_size=1000)
    french = list(FrenchAuthority.objects.order_by("code"))
    # Communes and intercommunalities run most projects; regions and departments some.
    weights = [1 if item.kind in ("commune", "intercommunality") else 8 for item in french]

    chosen = _countries(rng, countries)
    # A Zipf-like share: the first (core) countries get most projects.
    country_weights = [1 / (rank + 1) ** 0.9 for rank in range(len(chosen))]

    partners: list[PartnerAuthority] = []
    partner_total = max(len(chosen), projects // 3)
    for index in range(partner_total):
        country = chosen[index % len(chosen)] if index < len(chosen) else rng.choices(chosen, country_weights)[0]
        kind = rng.choices(list(PARTNER_KIND_WORDS), [2, 3, 10, 1])[0]
        lat, lng = _inside(rng, country)
        partners.append(
            PartnerAuthority(
                name=f"{PARTNER_KIND_WORDS[kind]} {_foreign_name(rng)}",
                country=country,
                kind=kind,
                location=point(lat, lng),
                latitude=lat,
                longitude=lng,
            )
        )
    PartnerAuthority.objects.bulk_create(partners, batch_size=1000)
    partners_by_country: dict[int, list[PartnerAuthority]] = {}
    for partner in PartnerAuthority.objects.order_by("pk"):
        partners_by_country.setdefault(partner.country_id, []).append(partner)

    themes = {theme.slug: theme for theme in Theme.objects.all()}
    theme_slugs = [slug for slug, _label in THEMES if slug in themes]
    country_by_id = {country.pk: country for country in chosen}

    rows, links = [], []
    for _ in range(projects):
        country = rng.choices(chosen, country_weights)[0]
        owners = rng.sample(french, 1) if rng.random() < 0.8 else rng.choices(french, weights, k=rng.randint(2, 3))
        owners = list({owner.pk: owner for owner in owners}.values())
        pool = partners_by_country.get(country.pk, [])
        partner_list = rng.sample(pool, min(len(pool), rng.choice([1, 1, 1, 2]))) if pool else []
        project_themes = rng.sample(theme_slugs, rng.choice([1, 1, 2, 3]))
        twinning = rng.random() < 0.2
        start = rng.randint(1985, CURRENT_YEAR + 1)
        end = None if rng.random() < 0.3 else min(start + rng.randint(1, 8), CURRENT_YEAR + 4)
        status = (
            Project.Status.PLANNED
            if start > CURRENT_YEAR
            else Project.Status.COMPLETED
            if end is not None and end < CURRENT_YEAR
            else Project.Status.ONGOING
        )
        partner_name = partner_list[0].name if partner_list else country.name_fr
        action = rng.choice(ACTIONS.get(project_themes[0], ["Coopération"]))
        title = f"Jumelage {owners[0].name} – {partner_name}" if twinning else f"{action} — {partner_name}"
        description = (
            f"{action} mené par {owners[0].name} avec {partner_name} ({country.name_fr}), "
            f"depuis {start}. Coopération décentralisée soutenue par les partenaires locaux."
        )
        abroad = partner_list[0] if partner_list else None
        lat_a, lng_a = (abroad.latitude, abroad.longitude) if abroad else _inside(rng, country)
        budget = Decimal(rng.randrange(5_000, 2_000_000, 500)) if rng.random() < 0.6 else None
        text = search_text(
            title,
            description,
            country,
            [owner.name for owner in owners],
            [partner.name for partner in partner_list],
        )
        project = Project(
            title=title[:255],
            kind=Project.Kind.TWINNING if twinning else Project.Kind.PROJECT,
            country=country,
            status=status,
            start_year=start,
            end_year=end,
            budget=budget,
            description=description,
            location_france=point(owners[0].latitude, owners[0].longitude),
            latitude_france=owners[0].latitude,
            longitude_france=owners[0].longitude,
            location_abroad=point(lat_a, lng_a),
            latitude_abroad=lat_a,
            longitude_abroad=lng_a,
            contact=f"Service des relations internationales — {owners[0].name}",
            search_text=text,
            search_stems=stems(text),
        )
        rows.append(project)
        links.append((owners, partner_list, project_themes))
    Project.objects.bulk_create(rows, batch_size=1000)
    saved = list(Project.objects.order_by("pk").values_list("pk", flat=True))
    french_through, partner_through, theme_through = [], [], []
    for project_id, (owners, partner_list, project_themes) in zip(saved, links, strict=True):
        french_through += [
            Project.french_authorities.through(project_id=project_id, frenchauthority_id=owner.pk) for owner in owners
        ]
        partner_through += [
            Project.partner_authorities.through(project_id=project_id, partnerauthority_id=partner.pk)
            for partner in partner_list
        ]
        theme_through += [
            Project.themes.through(project_id=project_id, theme_id=themes[slug].pk) for slug in project_themes
        ]
    Project.french_authorities.through.objects.bulk_create(french_through, batch_size=2000)
    Project.partner_authorities.through.objects.bulk_create(partner_through, batch_size=2000)
    Project.themes.through.objects.bulk_create(theme_through, batch_size=2000)

    bourse_total = bourse if bourse is not None else max(1, projects // 40)
    entries = []
    for _ in range(bourse_total):
        country = rng.choices(chosen, country_weights)[0]
        pool = partners_by_country.get(country.pk)
        if not pool:
            continue
        partner = rng.choice(pool)
        slug = rng.choice(theme_slugs)
        action = rng.choice(ACTIONS[slug])
        entries.append(
            BourseProject(
                title=f"{action} — {partner.name}",
                partner_authority=partner,
                country=country_by_id[country.pk],
                theme=themes[slug],
                description=f"{partner.name} ({country.name_fr}) porte un projet : {action.lower()}.",
                expected_partnership="Recherche une collectivité française pour un échange d’expertise et un "
                "cofinancement sur trois ans.",
                status=rng.choices(list(BourseProject.Status), [6, 0, 2, 1])[0],  # none in contact
                location=point(partner.latitude, partner.longitude),
                latitude=partner.latitude,
                longitude=partner.longitude,
            )
        )
    BourseProject.objects.bulk_create(entries, batch_size=1000)
    atlas_index.bump()  # again once other processes can see the new rows (on commit)
    transaction.on_commit(analyze)
    return Generated(
        authorities=len(french),
        partners=len(partners),
        projects=len(rows),
        countries=len({project.country_id for project in rows}),
        bourse=len(entries),
    )
