"""Templates kept beside the code that renders them: ``<app>/<room>/templates/``.

Django's ``app_directories`` loader reads ``<app>/templates/`` only. This one also reads the
``templates/`` folder of each sub-package of an installed app (``forms/apd/templates/``,
``atlas_pages/atlas/templates/``…), so that a procedure or a part of the Atlas is one folder.
Template names do not change: ``cncd_forms/apd_declaration.html`` is found wherever it lives.
"""

from functools import cache
from pathlib import Path

from django.apps import apps
from django.template.loaders.filesystem import Loader as FilesystemLoader


@cache
def room_template_dirs() -> tuple[Path, ...]:
    return tuple(
        folder
        for config in apps.get_app_configs()
        for folder in sorted(Path(config.path).glob("*/templates"))
        if folder.is_dir() and (folder.parent / "__init__.py").exists()
    )


class RoomsLoader(FilesystemLoader):
    def get_dirs(self):
        return room_template_dirs()
