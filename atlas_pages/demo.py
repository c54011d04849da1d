"""Demo content of the editorial site (called by ``manage.py load_demo``)."""

import datetime as dt

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Locale, Page, PageViewRestriction, Site

from atlas_pages.atlas.generate import generate
from atlas_pages.atlas.models import FrenchAuthority
from atlas_pages.atlas.page import AtlasPage
from atlas_pages.core.taxonomy import Theme
from atlas_pages.editorial.articles import (
    ArticlePage,
    CountryZoomPage,
    GoodPracticePage,
    RubricIndexPage,
    TestimonyPage,
)
from atlas_pages.editorial.pages import HomePage, StandardPage

DEMO_PASSWORD = "Cncd-demo-2026"

SECTIONS = [
    {
        "slug": "la-cncd",
        "title": "La CNCD",
        "intro": (
            "La Commission nationale de la coopération décentralisée est l'instance de dialogue entre l'État "
            "et les collectivités territoriales sur l'action extérieure, présidée par le Premier ministre."
        ),
        "body": (
            "<p>Elle réunit à parité des représentants des associations nationales d'élus locaux et des "
            "administrations de l'État. Son secrétariat est assuré par la Délégation pour l'action extérieure "
            "des collectivités territoriales (DAECT).</p>"
        ),
    },
    {
        "slug": "extranet",
        "title": "L'Extranet « CNCD à la carte »",
        "intro": (
            "Un outil interministériel et multi-partenaires réservé aux acteurs de la coopération "
            "décentralisée : informations exclusives, e-services personnalisés et outils pratiques."
        ),
        "body": (
            "<p>Ambassades, collectivités territoriales, associations nationales et internationales d'élus, "
            "réseaux régionaux, ministères et opérateurs, préfectures, ONG et entreprises : créez votre "
            "espace personnel en choisissant votre groupe. Dès que nous aurons vérifié les informations "
            "saisies, vous recevrez un courriel de confirmation et pourrez vous connecter.</p>"
        ),
    },
    {
        "slug": "contact",
        "title": "Contact",
        "intro": "Délégation pour l'action extérieure des collectivités territoriales (DAECT).",
        "body": "<p>57, boulevard des Invalides – 75007 Paris 07SP. Tél. : 01 53 69 34 41.</p>",
    },
]


#: The terms of use accepted at registration, and the privacy notice (``LegalSettings``).
LEGAL = [
    {
        "slug": "conditions-d-utilisation",
        "setting": "terms_page",
        "title": "Conditions d'utilisation de l'extranet",
        "intro": "Les règles que chaque membre de l'Extranet « CNCD à la carte » accepte en s'inscrivant.",
        "body": (
            "<h2>Objet</h2><p>L'Extranet « CNCD à la carte » est un service de la Délégation pour l'action "
            "extérieure des collectivités territoriales (DAECT) du ministère de l'Europe et des Affaires "
            "étrangères. Il est réservé aux acteurs de la coopération décentralisée : ambassades, collectivités "
            "territoriales, associations d'élus, réseaux régionaux, ministères et opérateurs, préfectures, ONG "
            "et entreprises.</p>"
            "<h2>Inscription</h2><p>Chaque membre s'inscrit dans le groupe dont il relève et donne des "
            "informations exactes sur son organisme. L'équipe de la CNCD vérifie l'inscription avant d'ouvrir "
            "les contenus réservés ; elle peut la refuser ou la suspendre si ces informations sont inexactes. "
            "Le compte est personnel : ses identifiants ne se partagent pas, et la double authentification est "
            "recommandée.</p>"
            "<h2>Contenus réservés</h2><p>Les articles réservés à un groupe, les dossiers de cofinancement et les "
            "avis des services de l'État sont confidentiels. Ils ne sont ni diffusés ni reproduits hors du cadre "
            "de la coopération décentralisée sans l'accord de la DAECT.</p>"
            "<h2>Téléprocédures</h2><p>Les dossiers, déclarations et avis déposés en ligne engagent l'organisme "
            "qui les dépose. Leur historique est conservé et protégé contre toute modification.</p>"
            "<h2>Responsabilité</h2><p>La DAECT veille à l'exactitude des informations publiées, notamment dans "
            "l'Atlas, que les acteurs mettent à jour en ligne ; signalez toute erreur par le formulaire de "
            "mise à jour de l'Atlas ou à l'adresse de contact.</p>"
        ),
    },
    {
        "slug": "donnees-personnelles",
        "setting": "privacy_page",
        "title": "Données personnelles",
        "intro": "Ce que le site conserve sur ses visiteurs, ses membres et les abonnés à la lettre, et vos droits.",
        "body": (
            "<h2>Responsable du traitement</h2><p>Le ministère de l'Europe et des Affaires étrangères, Direction "
            "générale de la mondialisation, Délégation pour l'action extérieure des collectivités territoriales "
            "(DAECT), 57 boulevard des Invalides, 75007 Paris.</p>"
            "<h2>Données conservées</h2><p>Pour les membres : identité, organisme, groupe, fonction, coordonnées, "
            "sélections, cartes, exports et démarches. Pour les abonnés à la lettre : adresse électronique, "
            "langue, rubriques choisies et preuve du consentement. Aucun cookie de mesure d'audience tiers "
            "n'est déposé.</p>"
            "<h2>Finalités et bases légales</h2><p>L'extranet et les téléprocédures relèvent d'une mission "
            "d'intérêt public ; la lettre d'information repose sur votre consentement, que vous retirez à tout "
            "moment par le lien de désinscription.</p>"
            "<h2>Durées de conservation</h2><p>Un compte inutilisé pendant trois ans est supprimé après un "
            "avertissement. Les dossiers, déclarations et avis sont conservés comme archives de procédures "
            "publiques, détachés du compte supprimé.</p>"
            "<h2>Vos droits</h2><p>Depuis votre espace personnel, vous téléchargez vos données et supprimez "
            "votre compte. Pour toute autre demande (accès, rectification, opposition), écrivez à la DAECT ; "
            "vous pouvez saisir la CNIL.</p>"
        ),
    },
]


def load_legal_pages(home: HomePage) -> None:
    """The terms of use and the privacy notice, chosen in the site's settings."""
    from atlas_pages.editorial.site_settings import LegalSettings

    chosen = LegalSettings.load()
    for page in LEGAL:
        created = ensure_child(
            home,
            StandardPage,
            page["slug"],
            title=page["title"],
            intro=page["intro"],
            body=[("paragraph", page["body"])],
        )
        if getattr(chosen, f"{page['setting']}_id") is None:
            setattr(chosen, page["setting"], created)
    chosen.save()


#: The agenda's events, dated from the day the demo is loaded (days from now, hour, length in hours).
EVENTS = [
    {
        "slug": "seance-pleniere-printemps",
        "title": "Séance plénière de la CNCD",
        "kind": "plenary",
        "days": -60,
        "hour": 14,
        "hours": 3,
        "place": "Ministère de l'Europe et des Affaires étrangères, 27 rue de la Convention, 75015 Paris",
        "organiser": "Commission nationale de la coopération décentralisée",
        "teaser": "La séance plénière a adopté le programme de travail de l'année et le bilan des appels à projets.",
    },
    {
        "slug": "webinaire-appel-a-projets",
        "title": "Webinaire : bien préparer son dossier de cofinancement",
        "kind": "webinar",
        "days": -20,
        "hour": 10,
        "hours": 1,
        "online_url": "https://webinaire.example.org/appel-a-projets",
        "organiser": "DAECT",
        "teaser": "Les règles de l'appel annuel, le budget équilibré et les avis des ambassades, en une heure.",
    },
    {
        "slug": "webinaire-eau-sahel",
        "title": "Webinaire : l'eau et l'assainissement au Sahel",
        "kind": "webinar",
        "days": 14,
        "hour": 11,
        "hours": 1,
        "online_url": "https://webinaire.example.org/eau-sahel",
        "registration_url": "https://inscriptions.example.org/eau-sahel",
        "organiser": "DAECT et pS-Eau",
        "teaser": "Trois collectivités partagent leurs projets d'eau potable au Burkina Faso, au Mali et au Niger.",
    },
    {
        "slug": "assises-cooperation-decentralisee",
        "title": "Assises de la coopération décentralisée",
        "kind": "assises",
        "days": 90,
        "hour": 9,
        "hours": 32,
        "place": "Palais des congrès, 2 place de la Porte Maillot, 75017 Paris",
        "registration_url": "https://inscriptions.example.org/assises",
        "organiser": "Ministère de l'Europe et des Affaires étrangères",
        "teaser": "Deux jours d'ateliers, de rencontres entre collectivités et partenaires, et la remise des prix.",
    },
]


def load_agenda(home: HomePage) -> None:
    """The agenda, two past events in its archive and two coming ones."""
    from atlas_pages.editorial.events import EventIndexPage, EventPage

    agenda = ensure_child(
        home,
        EventIndexPage,
        "agenda",
        title="Agenda",
        intro="Séances plénières de la CNCD, Assises de la coopération décentralisée, webinaires.",
    )
    today = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    for event in EVENTS:
        starts = (today + dt.timedelta(days=event["days"])).replace(hour=event["hour"])
        ensure_child(
            agenda,
            EventPage,
            event["slug"],
            title=event["title"],
            kind=event["kind"],
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=event["hours"]),
            place=event.get("place", ""),
            online_url=event.get("online_url", ""),
            registration_url=event.get("registration_url", ""),
            organiser=event["organiser"],
            teaser=event["teaser"],
            body=[("paragraph", f"<p>{event['teaser']}</p>")],
        )


def home_page() -> HomePage:
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    if not isinstance(home, HomePage):
        raise RuntimeError("The default site's root is not the CNCD home page; run `manage.py migrate` first.")
    return home


def ensure_child(parent: Page, model: type[Page], slug: str, **fields) -> Page:
    """Creates the child page once; later runs leave what editors changed alone."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def days_ago(days: int) -> dt.date:
    """A date in the recent past: the demo's pages read as last weeks' news, never as future ones."""
    return timezone.localdate() - dt.timedelta(days=days)


def paragraphs(*texts: str) -> list:
    return [("paragraph", "".join(f"<p>{text}</p>" for text in texts))]


def ensure_padlock(page: Page, *group_slugs: str) -> None:
    """A view restriction, to logged-in members or to the given actor groups (once)."""
    kind = PageViewRestriction.GROUPS if group_slugs else PageViewRestriction.LOGIN
    restriction = PageViewRestriction.objects.filter(page=page).first()
    if restriction is None:
        restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind)
    if group_slugs:
        restriction.groups.set(Group.objects.filter(actor_group__slug__in=group_slugs))


def classify(page: Page, themes=(), groups=()) -> None:
    """Themes and target groups, published once (a second run changes nothing)."""
    wanted_themes = set(Theme.objects.filter(slug__in=themes))
    wanted_groups = set(Group.objects.filter(actor_group__slug__in=groups))
    changed = set(page.themes.all()) != wanted_themes
    page.themes.set(wanted_themes)
    if isinstance(page, ArticlePage):
        changed |= set(page.target_groups.all()) != wanted_groups
        page.target_groups.set(wanted_groups)
    if changed:
        page.save_revision().publish()


RUBRICS = [
    (
        "temoignages",
        "Témoignages",
        RubricIndexPage.Kind.TESTIMONIES,
        "Ambassadeurs et élus racontent leurs coopérations.",
    ),
    (
        "zoom-sur-un-pays",
        "Zoom sur un pays",
        RubricIndexPage.Kind.COUNTRY_ZOOMS,
        "Un pays, ses partenariats, ses chiffres.",
    ),
    ("bonnes-pratiques", "Bonnes pratiques", RubricIndexPage.Kind.GOOD_PRACTICES, "Des coopérations qui ont réussi."),
    ("actualites", "Actualités", RubricIndexPage.Kind.NEWS, "L'actualité de la coopération décentralisée."),
]


def load_rubrics(home: HomePage) -> dict[str, RubricIndexPage]:
    rubrics = {
        slug: ensure_child(home, RubricIndexPage, slug, title=title, kind=kind, intro=intro, show_in_menus=True)
        for slug, title, kind, intro in RUBRICS
    }

    testimonies = rubrics["temoignages"]
    page = ensure_child(
        testimonies,
        TestimonyPage,
        "ambassadeur-senegal",
        title="« La coopération décentralisée rapproche les territoires »",
        date=days_ago(3),
        country="SN",
        kind=TestimonyPage.Kind.AMBASSADOR,
        person_name="Christine Fages",
        person_role="Ambassadrice de France au Sénégal",
        teaser="L'ambassadrice revient sur vingt ans de partenariats entre collectivités françaises et sénégalaises.",
        pull_quote="Les collectivités apportent une expertise que l'État seul ne peut offrir.",
        body=paragraphs(*BODIES["ambassadeur-senegal"]),
        image=demo_image("Quai de Saint-Louis du Sénégal au coucher du soleil", "SN"),
    )
    classify(page, themes=["eau-assainissement", "gouvernance-locale"])
    page = ensure_child(
        testimonies,
        TestimonyPage,
        "maire-lyon-vietnam",
        title="Lyon et Hô Chi Minh-Ville : trente ans d'amitié",
        date=days_ago(10),
        country="VN",
        kind=TestimonyPage.Kind.ELECTED,
        person_name="Jeanne Martin",
        person_role="Adjointe au maire chargée des relations internationales",
        teaser="Urbanisme, transports, patrimoine : une élue raconte une coopération au long cours.",
        pull_quote="Nous apprenons autant que nous partageons.",
        body=paragraphs(*BODIES["maire-lyon-vietnam"]),
        image=demo_image("Rue commerçante d'Hô Chi Minh-Ville", "VN"),
    )
    classify(page, themes=["urbanisme-amenagement", "culture-patrimoine"])

    zooms = rubrics["zoom-sur-un-pays"]
    for slug, country, title, point in [
        (
            "benin",
            "BJ",
            "Zoom sur le Bénin",
            "POINT(2.3158 9.3077)",
        ),
        (
            "maroc",
            "MA",
            "Zoom sur le Maroc",
            "POINT(-7.0926 31.7917)",
        ),
    ]:
        page = ensure_child(
            zooms,
            CountryZoomPage,
            slug,
            title=title,
            date=days_ago(12),
            country=country,
            location=f"SRID=4326;{point}",
            teaser=f"Les chiffres et les acteurs de la coopération décentralisée : {title.removeprefix('Zoom sur ')}.",
            key_figures=[
                ("figure", {"value": value, "label": label, "source": "Atlas de la coopération décentralisée"})
                for value, label in atlas_figures(country)
            ],
            body=paragraphs(*BODIES[slug]),
            image=demo_image(f"Paysage du {title.removeprefix('Zoom sur le ').removeprefix('Zoom sur ')}", country),
        )
        classify(page, themes=["agriculture-alimentation"])

    practices = rubrics["bonnes-pratiques"]
    page = ensure_child(
        practices,
        GoodPracticePage,
        "eau-potable-mopti",
        title="L'eau potable pour 40 000 habitants à Mopti",
        date=days_ago(15),
        country="ML",
        authority="Région Grand Est",
        teaser="Un réseau d'adduction construit et géré avec la commune de Mopti grâce au 1 % eau.",
        body=paragraphs(*BODIES["eau-potable-mopti"]),
        image=demo_image("Borne-fontaine d'un quartier de Mopti", "ML"),
    )
    classify(page, themes=["eau-assainissement"])
    page = ensure_child(
        practices,
        GoodPracticePage,
        "tourisme-solidaire-cambodge",
        title="Tourisme solidaire à Siem Reap",
        date=days_ago(18),
        country="KH",
        authority="Département de l'Hérault",
        teaser="Former les guides et les gestionnaires d'hébergements ruraux : la méthode et ses résultats.",
        body=paragraphs(*BODIES["tourisme-solidaire-cambodge"]),
        image=demo_image("Guides en formation devant un temple de Siem Reap", "KH"),
    )
    classify(page, themes=["tourisme", "education-jeunesse"])
    ensure_padlock(page)

    news = rubrics["actualites"]
    articles = [
        (
            "appel-a-projets-2027",
            "Appel à projets 2027 : les dossiers sont ouverts",
            2,
            (),
            ("collectivites",),
            "Le nouvel appel à projets annuel soutient les coopérations en Afrique, en Méditerranée et en Asie.",
            "Les collectivités territoriales peuvent déposer leur dossier en ligne jusqu'au 31 mars.",
        ),
        (
            "compte-rendu-pleniere",
            "Compte rendu de la séance plénière de la CNCD",
            8,
            ("*",),
            (),
            "Les principales décisions de la dernière séance plénière de la Commission.",
            "Relevé de décisions détaillé et interventions des associations d'élus (réservé aux membres).",
        ),
        (
            "guide-cofinancement",
            "Guide du cofinancement pour les collectivités",
            14,
            ("collectivites",),
            ("collectivites",),
            "Comment préparer un budget équilibré et réunir les cofinancements.",
            "Modèles de budget, grille d'éligibilité et calendrier d'instruction (réservé aux collectivités).",
        ),
        (
            "instructions-avis",
            "Instructions pour les avis des ambassades et des préfectures",
            16,
            ("ambassades", "prefectures"),
            ("ambassades", "prefectures"),
            "Le calendrier et la grille des avis sur les dossiers de l'appel à projets.",
            "Grille d'analyse, délais et modèle d'avis motivé (réservé aux ambassades et préfectures).",
        ),
        (
            "reunion-interministerielle",
            "Réunion interministérielle sur l'action extérieure",
            20,
            ("ministeres-operateurs",),
            ("ministeres-operateurs",),
            "Ordre du jour de la prochaine réunion des ministères et opérateurs.",
            "Documents préparatoires et positions des ministères (réservé aux ministères et opérateurs).",
        ),
    ]
    for slug, title, day, padlock, targets, teaser, text in articles:
        page = ensure_child(
            news,
            ArticlePage,
            slug,
            title=title,
            date=days_ago(day),
            teaser=teaser,
            body=paragraphs(teaser, *BODIES[slug], text),
            image=demo_image(title, "FR") if day == min(item[2] for item in articles) else None,
        )
        classify(page, themes=["gouvernance-locale"], groups=targets)
        if padlock == ("*",):
            ensure_padlock(page)
        elif padlock:
            ensure_padlock(page, *padlock)
    return rubrics


# The English site: the home, the rubric indexes and a few articles translated; every other page
# is there as its French alias (README, “Content in two languages”).
ENGLISH = {
    "": {
        "title": "CNCD à la carte — decentralised cooperation",
        "intro": "<p>The portal of decentralised cooperation: testimonies, country zooms, good practices, news "
        "and the <b>CNCD à la carte</b> extranet of the actors of cooperation.</p>",
    },
    "temoignages": {"title": "Testimonies", "slug": "testimonies", "intro": "Ambassadors and elected officials "
                    "tell of their cooperations."},
    "zoom-sur-un-pays": {"title": "Country zoom", "slug": "country-zoom", "intro": "A country, its partnerships, "
                         "its figures."},
    "bonnes-pratiques": {"title": "Good practices", "slug": "good-practices", "intro": "Cooperations that worked."},
    "actualites": {"title": "News", "slug": "news", "intro": "The news of decentralised cooperation."},
    "temoignages/ambassadeur-senegal": {
        "title": "“Decentralised cooperation brings territories closer”",
        "slug": "ambassador-senegal",
        "person_role": "French Ambassador to Senegal",
        "teaser": "The ambassador looks back on twenty years of partnerships between French and Senegalese local "
        "authorities.",
        "pull_quote": "Local authorities bring an expertise the State alone cannot offer.",
        "body": paragraphs(
            "Saint-Louis, Podor, Ziguinchor: partnerships have multiplied since 2005.",
            "Today they cover water, waste management and the training of municipal staff.",
        ),
    },
    "bonnes-pratiques/eau-potable-mopti": {
        "title": "Drinking water for 40,000 inhabitants in Mopti",
        "slug": "drinking-water-mopti",
        "teaser": "A water supply network built and run with the municipality of Mopti, thanks to the 1 % for water.",
        "body": paragraphs("The funding relies on the Oudin-Santini act and on the Rhine-Meuse Water Agency."),
    },
    "bonnes-pratiques/tourisme-solidaire-cambodge": {
        "title": "Solidarity tourism in Siem Reap",
        "slug": "solidarity-tourism-siem-reap",
        "teaser": "Training guides and managers of rural lodgings: the method and its results.",
        "body": paragraphs("For members: the detailed budget, the agreements and the partners' contacts."),
    },
}  # fmt: skip


def load_english(home: HomePage) -> int:
    """Turns the English aliases of these pages into English pages, once: a page already
    translated (by an earlier run, or by editors) is left alone. The padlocks follow
    (``atlas_pages.editorial.translations``)."""
    english = Locale.objects.filter(language_code="en").first()
    if english is None:
        return 0
    translated = 0
    for address, fields in ENGLISH.items():
        source = home
        for slug in filter(None, address.split("/")):
            source = source.get_children().filter(slug=slug).first()
            if source is None:
                break
        if source is None:
            continue
        version = source.get_translation_or_none(english)
        if version is None:
            version = source.copy_for_translation(english, copy_parents=True, alias=True)
        version = version.specific
        if version.alias_of_id is None:
            continue
        version.alias_of = None
        for name, value in fields.items():
            setattr(version, name, value)
        version.save()
        version.save_revision().publish()
        translated += 1
    return translated


def load(report) -> None:
    load_atlas(report)  # first: the country zooms state its figures
    home = home_page()
    if not home.intro:
        home.intro = (
            "<p>Le portail de la coopération décentralisée : témoignages, zooms sur un pays, bonnes "
            "pratiques, actualités et l'Extranet <b>CNCD à la carte</b> des acteurs de la coopération.</p>"
        )
        home.save_revision().publish()
    for section in SECTIONS:
        ensure_child(
            home,
            StandardPage,
            section["slug"],
            title=section["title"],
            intro=section["intro"],
            body=[("paragraph", section["body"])],
            show_in_menus=True,
        )
    load_rubrics(home)
    load_legal_pages(home)
    load_agenda(home)
    report.note(f"Pages : {home.get_descendants(inclusive=True).live().count()} pages publiées sous « {home.title} ».")
    call_command("sync_locale_trees", verbosity=0)  # pages made before the English site get their alias
    load_english(home)
    english = Page.objects.live().filter(locale__language_code="en", depth__gt=1)
    report.note(
        f"Site anglais (/en/) : {english.filter(alias_of__isnull=True).count()} pages traduites, "
        f"{english.filter(alias_of__isnull=False).count()} montrées en français en attendant."
    )
    ensure_child(
        home,
        AtlasPage,
        "atlas",
        title="Atlas de la coopération décentralisée",
        intro="Les projets de coopération décentralisée des collectivités territoriales françaises dans le monde : "
        "recherche avancée, carte, fiches projets et export PDF.",
        show_in_menus=True,
    )


def load_atlas(report) -> None:
    if FrenchAuthority.objects.exists():  # a second run keeps the Atlas, and what points at it (dossiers)
        report.note("Atlas : gardé tel quel (manage.py atlas_generate le remplace).")
        return
    atlas = generate(**DEMO_ATLAS)
    report.note(
        f"Atlas : {atlas.projects} projets de {atlas.authorities} collectivités françaises dans {atlas.countries} pays "
        f"(à pleine échelle : manage.py atlas_generate sur une base neuve, puis load_demo, qui le garde)."
    )


def atlas_figures(iso2: str) -> list[tuple[str, str]]:
    """A country zoom's key figures as the Atlas counts them when the demo is loaded."""
    from atlas_pages.atlas.front import country_figures

    found = country_figures(iso2)
    if found is None:
        return []
    return [
        (str(found["french_authorities"]), "collectivités françaises engagées"),
        (str(found["projects"]), "projets recensés"),
    ]


#: Colours of the demo's illustrations, by country.
PALETTE = {"SN": "#18753c", "VN": "#b34000", "BJ": "#c08c0e", "MA": "#6a6af4", "ML": "#0078f3", "KH": "#a94645"}


def demo_image(description: str, country: str):
    """An illustration of the demo (drawn here: the demo ships no photograph), with its
    description as the alt text; made once."""
    import io

    from django.core.files.images import ImageFile
    from django.utils.text import slugify
    from PIL import Image as Picture
    from PIL import ImageDraw
    from wagtail.images import get_image_model

    Image = get_image_model()
    found = Image.objects.filter(title=description).first()
    if found is not None:
        return found
    colour = PALETTE.get(country, "#000091")
    picture = Picture.new("RGB", (1200, 675), colour)
    draw = ImageDraw.Draw(picture)
    for number in range(7):  # hills and a sun, in lighter tones
        draw.ellipse((number * 190 - 160, 430 - number % 3 * 40, number * 190 + 260, 1000), fill="#f5f5fe")
        draw.ellipse((number * 190 - 140, 450 - number % 3 * 40, number * 190 + 240, 1000), fill=colour)
    draw.ellipse((900, 80, 1040, 220), fill="#ffe9e6")
    draw.text((60, 60), country, fill="#ffffff", font_size=96)
    content = io.BytesIO()
    picture.save(content, format="PNG")
    return Image.objects.create(
        title=description, file=ImageFile(content, name=f"demo-{slugify(description)[:50]}.png")
    )


#: The bodies of the demo's pages: what an editor would publish.
BODIES = {
    "ambassadeur-senegal": [
        "Saint-Louis, Podor, Ziguinchor : en vingt ans, les partenariats entre collectivités françaises et "
        "sénégalaises se sont multipliés. On en compte aujourd'hui plusieurs dizaines, portés par des régions, "
        "des départements, des villes et des intercommunalités de toutes tailles.",
        "Ils portent d'abord sur les services essentiels : l'eau potable, l'assainissement, la gestion des "
        "déchets. Mais ce qui a changé, c'est la place de la formation. Les agents municipaux de Saint-Louis "
        "viennent se former à Lille, et les techniciens lillois passent des semaines sur le terrain. Chacun "
        "revient avec des méthodes et des contacts.",
        "L'ambassade accompagne ces projets : elle donne son avis sur les dossiers de cofinancement, relaie les "
        "attentes des autorités sénégalaises et fait le lien avec l'Agence française de développement. Les "
        "collectivités apportent une expertise de gestion locale que l'État seul ne peut pas offrir.",
        "Le défi des prochaines années est la mutualisation : que les collectivités françaises présentes dans une "
        "même région se coordonnent, partagent leurs diagnostics et évitent de financer deux fois le même "
        "équipement. L'Atlas de la coopération décentralisée est l'outil de cette coordination.",
    ],
    "maire-lyon-vietnam": [
        "La coopération a commencé en 1997 par un programme de formation d'urbanistes vietnamiens à Lyon. "
        "Trente ans plus tard, elle couvre les transports, l'eau, le patrimoine et la culture.",
        "Le centre historique d'Hô Chi Minh-Ville a été inventorié rue par rue avec l'appui de l'agence "
        "d'urbanisme de Lyon. Cet inventaire sert aujourd'hui au plan de sauvegarde adopté par la ville.",
        "Nous apprenons autant que nous partageons : les ingénieurs vietnamiens ont conçu des solutions de "
        "gestion des crues dont nos services s'inspirent pour les quais du Rhône. La coopération est un échange.",
    ],
    "benin": [
        "Le Bénin est l'un des premiers pays partenaires de la coopération décentralisée française en Afrique de "
        "l'Ouest. Les partenariats y sont anciens et nombreux, souvent noués entre communes de taille comparable.",
        "L'eau et l'assainissement, l'agriculture et l'appui à la décentralisation en sont les thèmes principaux. "
        "Depuis la réforme territoriale béninoise, les collectivités françaises accompagnent les nouvelles "
        "communes dans la mise en place de leurs services et de leur fiscalité locale.",
        "Les chiffres ci-contre sont ceux de l'Atlas de la coopération décentralisée ; la carte montre les "
        "départements d'origine des collectivités françaises engagées.",
    ],
    "maroc": [
        "Le Maroc compte parmi les pays où la coopération décentralisée française est la plus dense, portée par "
        "des liens humains anciens et par la régionalisation avancée engagée par le Royaume.",
        "Les régions françaises et marocaines coopèrent sur le développement économique, la formation "
        "professionnelle et la gestion de l'eau ; les villes, sur l'urbanisme, les transports et la culture.",
        "Les chiffres ci-contre sont ceux de l'Atlas de la coopération décentralisée.",
    ],
    "eau-potable-mopti": [
        "Avant le projet, les quartiers périphériques de Mopti s'approvisionnaient au fleuve ou à des puits non "
        "protégés. Le réseau construit en trois ans dessert aujourd'hui 40 000 habitants par 60 bornes-fontaines.",
        "Le financement s'appuie sur le dispositif « 1 % eau » de la loi Oudin-Santini, par lequel la Région "
        "Grand Est et l'Agence de l'eau Rhin-Meuse consacrent une part de leurs recettes à la solidarité "
        "internationale, et sur un cofinancement du ministère de l'Europe et des Affaires étrangères.",
        "La clé du succès a été la gestion : une régie municipale formée par les techniciens français fixe les "
        "tarifs, entretient le réseau et rend compte chaque année au conseil communal.",
        "Ce qui se transpose ailleurs : associer dès le départ la commune à la gestion, former les fontainiers, "
        "et prévoir l'entretien dans le budget initial.",
    ],
    "tourisme-solidaire-cambodge": [
        "Le Département de l'Hérault accompagne depuis 2012 la province de Siem Reap dans le développement d'un "
        "tourisme qui profite aux villages autour des temples d'Angkor.",
        "Quarante guides ont été formés, douze hébergements chez l'habitant ouverts et un circuit de découverte "
        "des métiers ruraux créé avec les communautés.",
        "Réservé aux membres : le budget détaillé, les conventions signées avec la province et les contacts des "
        "partenaires cambodgiens, pour les collectivités qui souhaitent s'en inspirer.",
    ],
    "appel-a-projets-2027": [
        "L'appel annuel cofinance des projets d'un an ; l'appel triennal, des partenariats de trois ans. La part "
        "de l'État ne dépasse pas la moitié du budget du projet.",
        "Les dossiers se déposent en ligne, dans l'espace personnel : le formulaire garde chaque brouillon et "
        "signale ce qui manque avant le dépôt.",
    ],
    "compte-rendu-pleniere": [
        "La Commission a adopté son programme de travail, dressé le bilan des appels à projets et entendu les "
        "associations d'élus sur la place des collectivités dans l'aide publique au développement.",
    ],
    "guide-cofinancement": [
        "Le guide reprend les étapes d'un dossier : le budget en dépenses et en ressources, les cofinancements, "
        "les avis de l'ambassade et de la préfecture, puis le suivi de la convention.",
    ],
    "instructions-avis": [
        "Chaque avis est motivé et rendu dans le délai fixé par l'appel ; il peut être confidentiel et réservé à "
        "l'équipe de la CNCD.",
    ],
    "reunion-interministerielle": [
        "La réunion porte sur la coordination des financements et sur la déclaration de l'aide publique au "
        "développement des collectivités.",
    ],
}


#: A smaller Atlas for the demo site (the same seed gives the same data on every run).
DEMO_ATLAS = {"projects": 600, "authorities": 400, "countries": 40, "seed": 2026}
