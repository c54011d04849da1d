"""Back-office screens and hooks of the teleprocedures: each procedure registers its own
(Wagtail reads ``forms.wagtail_hooks`` only); what they share, personal data, is here."""

from atlas_pages.core import hooks as cncd_hooks
from forms import personal_data  # noqa: E402
from forms.apd import wagtail_hooks as apd_hooks  # noqa: F401
from forms.atlas_updates import wagtail_hooks as atlas_updates_hooks  # noqa: F401
from forms.bourse import wagtail_hooks as bourse_hooks  # noqa: F401
from forms.dossiers import wagtail_hooks as dossiers_hooks  # noqa: F401

cncd_hooks.register(cncd_hooks.PERSONAL_DATA, personal_data.export)

cncd_hooks.register(cncd_hooks.BEFORE_ACCOUNT_DELETION, personal_data.before_deletion)

cncd_hooks.register(cncd_hooks.PERSONAL_DATA_COVERAGE, lambda: personal_data.COVERAGE)
