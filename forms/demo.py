"""Demo of the co-financing procedure (``manage.py load_demo``): an open annual call that asks
for the embassy's and the prefecture's opinions, and a dossier of the local authorities' demo
member, filed with the answers to the call's own questions, its opinions asked and scored by the
instructor on the call's review grid; and last year's call, whose accepted dossier is in
follow-up: its agreement signed, the advance paid, the interim report accepted, the final one due."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from atlas_pages.atlas.geography import regions
from atlas_pages.demo import ensure_child, paragraphs
from atlas_pages.models import Country, FrenchAuthority, HomePage
from extranet.models import MemberProfile
from forms.dossiers import scoring, services
from forms.dossiers.models import (
    CallForProjectsIndexPage,
    CallForProjectsPage,
    CallQuestion,
    Dossier,
    RequiredOpinion,
    ReviewCriterion,
    ReviewerBody,
)

User = get_user_model()


def load(report) -> None:
    _cofinancing(report)
    _followup(report)
    _apd(report)
    _atlas_update(report)
    _bourse(report)


def _atlas_update(report) -> None:
    """A change of one of the demo authority's projects, waiting for moderation."""
    from forms.atlas_updates import services as atlas_updates
    from forms.atlas_updates.models import AtlasUpdate

    member = User.objects.filter(username="demo-collectivites").first()
    if member is None or AtlasUpdate.objects.filter(proposed_by=member).exists():
        return
    project = atlas_updates.projects_for(member).first()
    if project is None:
        return
    item = atlas_updates.propose(
        member,
        "edit",
        {"description": (project.description + "\n\nDeuxième phase engagée en 2026.").strip()},
        project.pk,
        "La convention de la deuxième phase a été signée.",
    )
    report.note(f"Mise à jour de l'Atlas {item.reference} de « {project.title} » par demo-collectivites, à modérer.")


def _bourse(report) -> None:
    """A Bourse-projets entry recorded by the embassy in Senegal, waiting for moderation."""
    from atlas_pages.models import BourseProject
    from forms.bourse import services as bourse

    member = User.objects.filter(username="demo-ambassades").first()
    if member is None or not bourse.embassy_country(member):
        return
    if BourseProject.objects.filter(recorded_by=member).exists():
        return
    entry = bourse.record(
        member,
        {
            "title": "Gestion des déchets ménagers à Saint-Louis",
            "partner_name": "Commune de Saint-Louis",
            "theme": "dechets",
            "description": "La commune veut organiser la collecte et le tri des déchets dans trois quartiers.",
            "expected_partnership": "Une collectivité française pour un échange d'expertise technique sur trois ans.",
            "contact": "Service de coopération, ambassade de France au Sénégal",
        },
    )
    report.note(f"Bourse-projets : « {entry.title} » recensé par demo-ambassades, à modérer.")


def _apd(report) -> None:
    """e-APD: last year's campaign, closed, with the demo authority's submitted declaration
    (to copy from), and this year's, open."""
    import datetime as dt
    from decimal import Decimal

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from atlas_pages.models import FrenchAuthority
    from forms.apd import codelists, pdf
    from forms.apd import services as apd
    from forms.apd.models import ApdCampaign, ApdDeclaration

    member = User.objects.filter(username="demo-collectivites").first()
    code = getattr(getattr(member, "member_profile", None), "organisation_code", "")
    authority = FrenchAuthority.objects.filter(code=code).first() if code else None
    now = timezone.now()
    year = timezone.localdate().year - 1
    instructions = (
        "<p>Déclarez, ligne par ligne, les dépenses de coopération au développement de votre collectivité "
        "versées en {year} : projet, pays bénéficiaire, code objet du CAD, montants.</p>"
    )
    current, _created = ApdCampaign.objects.get_or_create(
        year=year,
        defaults={
            "opens_at": now - dt.timedelta(days=7),
            "closes_at": now + dt.timedelta(days=60),
            "instructions": instructions.format(year=year),
        },
    )
    previous, created = ApdCampaign.objects.get_or_create(
        year=year - 1,
        defaults={
            "opens_at": now - dt.timedelta(days=365),
            "closes_at": now - dt.timedelta(days=300),
            "instructions": instructions.format(year=year - 1),
        },
    )
    if not created or authority is None:
        return
    declaration = ApdDeclaration.objects.create(
        campaign=previous,
        authority=authority,
        created_by=member,
        state=ApdDeclaration.State.SUBMITTED,
        submitted_at=previous.closes_at - dt.timedelta(days=3),
        submitted_by=member,
    )
    projects = list(authority.projects.select_related("country").order_by("pk")[:2])
    for position, project in enumerate(projects, start=1):
        declaration.lines.create(
            position=position,
            project=project,
            title=project.title,
            recipient=project.country.iso2 if project.country.iso2 in codelists.codelist("recipient") else "998",
            purpose_code="15112",
            disbursed=Decimal(25000 * position),
            committed=Decimal(30000 * position),
            marker_gender=1,
        )
    declaration.lines.create(
        position=len(projects) + 1,
        title="Éducation à la citoyenneté mondiale",
        recipient="998",
        purpose_code="99820",
        disbursed=Decimal("4500.00"),
    )
    receipt = pdf.apd_receipt_pdf(declaration, apd.lines(declaration), apd.totals(declaration))
    declaration.receipt.save(f"{declaration.reference}.pdf", ContentFile(receipt), save=True)
    report.note(
        f"e-APD : la campagne {current.year} est ouverte ; {authority.name} (demo-collectivites) a transmis "
        f"{declaration.reference} l'an dernier, à reprendre."
    )


def _cofinancing(report) -> None:
    home = HomePage.objects.first()
    index = ensure_child(
        home,
        CallForProjectsIndexPage,
        "appels-a-projets",
        title="Appels à projets",
        intro="Les appels à projets de la DAECT pour cofinancer la coopération décentralisée.",
        show_in_menus=True,
    )
    now = timezone.now()
    call = index.get_children().filter(slug="appel-annuel").first()
    if call is None:
        call = CallForProjectsPage(
            slug="appel-annuel",
            title=f"Appel à projets annuel {now.year + 1}",
            kind=CallForProjectsPage.Kind.ANNUAL,
            intro="Cofinancement de projets de coopération décentralisée pour une année.",
            opens_at=now - dt.timedelta(days=15),
            closes_at=now + dt.timedelta(days=60),
            budget_envelope=2_000_000,
            rules=paragraphs(
                "Les collectivités territoriales françaises déposent leurs demandes en ligne.",
                "L'État cofinance au plus la moitié du budget d'un projet.",
            ),
            required_opinions=[
                RequiredOpinion(body=RequiredOpinion.Body.EMBASSY, days=30),
                RequiredOpinion(body=RequiredOpinion.Body.PREFECTURE, days=20),
            ],
            questions=[
                CallQuestion(label="Nombre de bénéficiaires directs", field_type=CallQuestion.Type.NUMBER),
                CallQuestion(
                    label="Zone d'intervention",
                    field_type=CallQuestion.Type.RADIO,
                    choices="Urbaine\nPériurbaine\nRurale",
                ),
                CallQuestion(
                    label="Lien avec les objectifs de développement durable",
                    field_type=CallQuestion.Type.MULTILINE,
                    required=False,
                    help_text="Deux ou trois phrases.",
                ),
                CallQuestion(
                    label="Lettre d'engagement du partenaire",
                    field_type=CallQuestion.Type.FILE,
                    required=False,
                ),
            ],
            criteria=[
                ReviewCriterion(label="Pertinence pour le partenaire", weight=3, scale=5),
                ReviewCriterion(label="Qualité du partenariat", weight=2, scale=5),
                ReviewCriterion(label="Solidité du budget", weight=1, scale=5),
            ],
            review_bodies=[ReviewerBody(body=RequiredOpinion.Body.EMBASSY)],
        )
        index.add_child(instance=call)
        call.save_revision().publish()
    call = call.specific

    regions_first = FrenchAuthority.objects.filter(kind="region")
    authority = regions_first.filter(code="R84").first() or regions_first.order_by("code").first()
    member = User.objects.filter(username="demo-collectivites").first()
    if authority is None or member is None:
        return
    # The demo members speak for the dossier: the authority files, Senegal's embassy and the
    # prefecture of the authority's region give their opinions.
    MemberProfile.objects.filter(user=member).update(organisation=authority.name, organisation_code=authority.code)
    region_code = next((code for code, name in regions().items() if name == authority.region), "")
    MemberProfile.objects.filter(user__username="demo-prefectures").update(region=region_code)
    member.refresh_from_db()
    if Dossier.objects.filter(call=call, authority=authority).exists():
        return
    senegal = Country.objects.filter(iso2="SN").first()
    dossier = services.create_dossier(
        member,
        call.pk,
        {
            "title": "Gestion des déchets à Saint-Louis",
            "partner_name": "Ville de Saint-Louis",
            "partner_country": senegal.iso2 if senegal else "",
            "themes": ["dechets"],
            "description": "Collecte et tri des déchets ménagers dans trois quartiers de Saint-Louis.",
            "objectives": "Former vingt agents municipaux et équiper deux centres de tri.",
            "start_year": now.year + 1,
            "duration_years": 1,
            "budget": [
                {"kind": "expense", "label": "Équipement des centres de tri", "amount": "90000"},
                {"kind": "expense", "label": "Formation des agents", "amount": "30000"},
                {"kind": "resource", "label": authority.name, "source": "own", "amount": "60000"},
                {"kind": "resource", "label": "Ville de Saint-Louis", "source": "partner", "amount": "15000"},
                {"kind": "resource", "label": "MEAE", "source": "requested", "amount": "45000"},
            ],
            "contacts": [{"name": "Membre Collectivités", "role": "Chargé de mission", "email": member.email}],
            "answers": {
                "nombre_de_beneficiaires_directs": "12000",
                "zone_dintervention": "Urbaine",
                "lien_avec_les_objectifs_de_developpement_durable": "ODD 11 (villes durables) et ODD 12 (consommation "
                "responsable) : moins de déchets en décharge sauvage, plus de matières recyclées.",
            },
        },
    )
    services.submit(member, dossier.pk, dossier.version)
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if admin is not None:
        services.request_opinions(admin, dossier.pk)
        criteria = scoring.grid(call)
        if criteria:  # the instructor's scores; demo-ambassades reads them once it gives its own
            scoring.give(admin, dossier.pk, dict(zip([str(item.pk) for item in criteria], [4, 4, 3], strict=False)))
    report.note(
        f"Cofinancement : l'appel « {call.title} » et le dossier {dossier.reference} de {authority.name} "
        "(demo-collectivites), qui attend les avis de demo-ambassades et demo-prefectures et la note de "
        "demo-ambassades sur la grille d'évaluation."
    )


def _followup(report) -> None:
    """Last year's call and its dossier of the demo authority, accepted and in follow-up."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from forms.dossiers import followup

    index = CallForProjectsIndexPage.objects.first()
    member = User.objects.filter(username="demo-collectivites").first()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    code = MemberProfile.objects.filter(user=member).values_list("organisation_code", flat=True).first()
    authority = FrenchAuthority.objects.filter(code=code).first() if code else None
    if index is None or member is None or admin is None or authority is None:
        return
    if index.get_children().filter(slug="appel-annuel-precedent").exists():
        return
    now = timezone.now()
    today = timezone.localdate()
    call = CallForProjectsPage(
        slug="appel-annuel-precedent",
        title=f"Appel à projets annuel {now.year}",
        kind=CallForProjectsPage.Kind.ANNUAL,
        intro="Cofinancement de projets de coopération décentralisée pour une année.",
        opens_at=now - dt.timedelta(days=400),
        closes_at=now + dt.timedelta(days=1),  # closed once the dossier is in (below)
        budget_envelope=1_800_000,
        rules=paragraphs("Les collectivités territoriales françaises déposent leurs demandes en ligne."),
    )
    index.add_child(instance=call)
    call.save_revision().publish()
    senegal = Country.objects.filter(iso2="SN").first()
    dossier = services.create_dossier(
        member,
        call.pk,
        {
            "title": "Eau potable à Podor",
            "partner_name": "Commune de Podor",
            "partner_country": senegal.iso2 if senegal else "",
            "themes": ["eau-assainissement"],
            "description": "Raccorder deux quartiers de Podor au réseau d'eau potable et former les fontainiers.",
            "objectives": "Trois mille habitants raccordés ; six fontainiers formés.",
            "start_year": now.year,
            "duration_years": 1,
            "budget": [
                {"kind": "expense", "label": "Travaux de raccordement", "amount": "70000"},
                {"kind": "expense", "label": "Formation des fontainiers", "amount": "10000"},
                {"kind": "resource", "label": authority.name, "source": "own", "amount": "40000"},
                {"kind": "resource", "label": "MEAE", "source": "requested", "amount": "40000"},
            ],
            "contacts": [{"name": "Membre Collectivités", "role": "Chargé de mission", "email": member.email}],
        },
    )
    dossier = services.submit(member, dossier.pk, dossier.version)
    dossier = services.decide(admin, dossier.pk, dossier.version, "accepted", "Projet solide, partenaire engagé.")
    CallForProjectsPage.objects.filter(pk=call.pk).update(closes_at=now - dt.timedelta(days=200))
    agreement = followup.prepare(
        admin,
        dossier.pk,
        {
            "amount": "40000",
            "conditions": "Mention du soutien de l'État sur les supports de communication du projet.",
            "tranches": [
                {
                    "label": "Avance à la signature",
                    "amount": "16000",
                    "date": (today - dt.timedelta(days=150)).isoformat(),
                },
                {
                    "label": "Solde sur rapport final",
                    "amount": "24000",
                    "date": (today + dt.timedelta(days=60)).isoformat(),
                },
            ],
            "reports": [
                {"kind": "interim", "due_date": (today - dt.timedelta(days=30)).isoformat()},
                {"kind": "final", "due_date": (today + dt.timedelta(days=45)).isoformat()},
            ],
        },
    )
    followup.sign(admin, dossier.pk, agreement.version)
    followup.sign(member, dossier.pk, agreement.version)
    advance, _balance = agreement.tranches.all()
    proof = SimpleUploadedFile("devis-travaux.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    followup.request_tranche(member, dossier.pk, advance.pk, "16000", "Démarrage des travaux.", [proof])
    followup.check_tranche(admin, dossier.pk, advance.pk, True, "")
    followup.pay_tranche(admin, dossier.pk, advance.pk, (today - dt.timedelta(days=120)).isoformat(), "16000")
    interim = agreement.reports.get(kind="interim")
    followup.file_report(member, dossier.pk, interim.pk, "Les travaux du premier quartier sont achevés.", [])
    followup.review_report(admin, dossier.pk, interim.pk, True, "")
    report.note(
        f"Suivi d'un dossier financé : le dossier {dossier.reference} de {authority.name}, accepté, sa convention "
        "signée, l'avance versée, le rapport intermédiaire accepté et le rapport final attendu."
    )
