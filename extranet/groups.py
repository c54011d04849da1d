"""The nine actor groups of the CNCD extranet: stable slugs, labels in every language.

The data migration creates one Django ``Group`` per entry, named in French (what editors
see in Wagtail's view restrictions); ``ActorGroup.label`` gives the translated name.
"""

from django.utils.translation import gettext_lazy as _

ACTOR_GROUPS: list[tuple[str, str]] = [
    ("ambassades", _("Embassies")),
    ("collectivites", _("Local authorities")),
    ("associations-nationales-elus", _("National associations of elected officials")),
    ("associations-internationales-elus", _("International associations of elected officials")),
    ("reseaux-regionaux", _("Regional networks")),
    ("ministeres-operateurs", _("Ministries and operators")),
    ("prefectures", _("Prefectures")),
    ("ong", _("NGOs")),
    ("entreprises", _("Companies")),
]

ACTOR_GROUP_SLUGS = [slug for slug, _label in ACTOR_GROUPS]
LABELS = dict(ACTOR_GROUPS)
