"""Demo content of the editorial site (called by ``manage.py load_demo``)."""

from wagtail.models import Page, Site

from .models import HomePage, StandardPage

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


def load(report) -> None:
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
    report.note(f"Pages: {home.get_descendants(inclusive=True).live().count()} live pages under “{home.title}”.")
