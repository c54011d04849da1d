"""Builds a believable demo site; safe to run again (nothing is duplicated).

Each installed app may ship a ``demo`` module with ``load(report)``; they run in the order
of INSTALLED_APPS, so an app's demo can rely on the apps it depends on.
"""

from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from atlas_pages.demo import DEMO_PASSWORD


@dataclass
class DemoReport:
    credentials: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def credential(self, username: str, role: str) -> None:
        self.credentials.append((username, role))

    def note(self, text: str) -> None:
        self.notes.append(text)


class Command(BaseCommand):
    help = "Loads the demo content (pages, members of each group, editor, superuser). Idempotent."

    def handle(self, *args, **options) -> None:
        report = DemoReport()
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.demo"
                if find_spec(module_name) is None:
                    continue
                import_module(module_name).load(report)
                if options["verbosity"] > 1:
                    self.stdout.write(f"  demo loaded: {app_config.label}")

        for note in report.notes:
            self.stdout.write(note)
        self.stdout.write(self.style.SUCCESS(f"Demo content ready. Accounts (password for all: {DEMO_PASSWORD}):"))
        width = max((len(username) for username, _ in report.credentials), default=0)
        for username, role in report.credentials:
            self.stdout.write(f"  {username.ljust(width)}  {role}")
