"""The rooms' contract: every ``cncd_*`` hook the apps use is written in atlas_pages.core.hooks,
and each one written there is answered by an installed app."""

import ast
from pathlib import Path

import pytest
from wagtail import hooks as wagtail_hooks

from atlas_pages.core import hooks as cncd_hooks

ROOT = Path(__file__).resolve().parents[2]
APPS = ("atlas_pages", "extranet", "forms", "newsletter")


def test_every_hook_registered_is_in_the_contract_and_every_contract_hook_is_answered():
    wagtail_hooks.search_for_hooks()
    registered = {name for name in wagtail_hooks._hooks if name.startswith("cncd_")}
    assert registered <= cncd_hooks.NAMES, registered - cncd_hooks.NAMES
    assert registered >= cncd_hooks.NAMES, cncd_hooks.NAMES - registered
    for hook in cncd_hooks.CONTRACT:
        assert hook.signature and hook.purpose and hook.called_by, hook.name


def test_a_hook_name_outside_the_contract_is_refused():
    with pytest.raises(LookupError, match="cncd_misspelt"):
        cncd_hooks.register("cncd_misspelt", lambda: None)
    with pytest.raises(LookupError):
        cncd_hooks.implementations("cncd_misspelt")


def test_the_apps_name_hooks_through_the_contract_only():
    """No ``hooks.register("cncd_…")`` or ``get_hooks("cncd_…")`` written by hand in the apps."""
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in {"register", "get_hooks"}
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and str(node.args[0].value).startswith("cncd_")
                ):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
