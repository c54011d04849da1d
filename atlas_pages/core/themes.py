"""The fixed list of cooperation sectors, shared by editorial pages and the Atlas."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

THEMES: list[tuple[str, Promise]] = [
    ("gouvernance-locale", _("Local governance and institutional support")),
    ("developpement-economique", _("Economic development")),
    ("eau-assainissement", _("Water and sanitation")),
    ("environnement-climat-energie", _("Environment, climate and energy")),
    ("agriculture-alimentation", _("Agriculture and food security")),
    ("sante-social", _("Health and social action")),
    ("education-jeunesse", _("Education, training and youth")),
    ("culture-patrimoine", _("Culture, heritage and French language")),
    ("tourisme", _("Tourism")),
    ("urbanisme-amenagement", _("Urban planning and housing")),
    ("dechets", _("Waste management")),
    ("humanitaire-crise", _("Humanitarian action and crises")),
    ("numerique", _("Digital")),
    ("egalite-femmes-hommes", _("Gender equality")),
]

LABELS = dict(THEMES)
