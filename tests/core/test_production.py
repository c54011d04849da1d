"""What a deployer meets: /healthz for the load balancer, load_demo kept away from production,
static files the manifest storage accepts, and links in e-mails on the address served.

The whole deployment (gunicorn, db_worker, PostgreSQL, Redis) is exercised over HTTP by CI's
production stage, `.ci/production`.
"""

import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.utils import timezone

from atlas_pages.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_healthz_says_ok_for_database_cache_and_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": {"status": "ok"}, "cache": {"status": "ok"}, "tasks": {"status": "ok", "queue": "none"}},
    }
    assert "no-store" in response["Cache-Control"]


@override_settings(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}}
)
def test_healthz_is_503_when_the_cache_is_down_and_tells_no_address(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == {"status": "fail"}
    assert response.json()["checks"]["database"] == {"status": "ok"}
    assert "127.0.0.1" not in response.content.decode() and "redis" not in response.content.decode()


@override_settings(TASKS=DB_QUEUE, CNCD_HEALTHZ_MAX_TASK_AGE=300)
def test_healthz_is_503_when_no_worker_consumes_the_queue(client):
    from django_tasks_db.models import DBTaskResult

    from atlas_pages.core import mail

    mail.send("newsletter/email/confirm", ["someone@example.org"], context={"url": "", "days": 7})
    assert client.get("/healthz").json()["checks"]["tasks"]["status"] == "ok"  # just queued

    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(hours=1))
    response = client.get("/healthz")
    assert response.status_code == 503
    tasks = response.json()["checks"]["tasks"]
    assert tasks["status"] == "fail" and tasks["queue"] == "database"
    assert tasks["oldest_waiting_seconds"] >= 3600


def test_healthz_needs_no_login_and_only_answers_get(client):
    assert client.post("/healthz").status_code == 405


@override_settings(CNCD_ENVIRONMENT="production")
def test_load_demo_refuses_production_settings_and_says_how_to_force_it():
    with pytest.raises(CommandError, match="--force-production"):
        call_command("load_demo")
    assert not get_user_model().objects.filter(username="admin").exists()


@override_settings(CNCD_ENVIRONMENT="production")
def test_forced_load_demo_gives_each_account_a_random_password_printed_once(capsys):
    call_command("load_demo", force_production=True)
    out = capsys.readouterr().out
    assert DEMO_PASSWORD not in out
    passwords = dict(re.findall(r"^  (\S+)\s+(\S{20,})\s", out, flags=re.MULTILINE))
    assert {"admin", "redaction", "demo-ambassades", "demo-collectivites"} <= passwords.keys()
    assert len(set(passwords.values())) == len(passwords)  # one each
    client = Client()
    assert not client.login(username="admin", password=DEMO_PASSWORD)
    assert client.login(username="admin", password=passwords["admin"])


def test_static_files_name_no_missing_source_map():
    """The manifest storage of production (collectstatic) fails on a reference to a file that
    is not shipped, such as a vendored library's ``sourceMappingURL``."""
    missing = []
    for path in (ROOT / "site" / "static").rglob("*"):
        if path.suffix not in (".js", ".css"):
            continue
        for target in re.findall(r"sourceMappingURL=([^\s*]+)", path.read_text(errors="replace")):
            if not target.startswith("data:") and not (path.parent / target).exists():
                missing.append(f"{path.relative_to(ROOT)} → {target}")
    assert missing == []


def test_make_run_gives_emails_the_address_it_serves_on():
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8731"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    serve = next(line for line in result.stdout.splitlines() if "runserver" in line)
    assert "WAGTAILADMIN_BASE_URL=http://127.0.0.1:8731" in serve and serve.endswith("runserver 127.0.0.1:8731")


@override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8731")
def test_the_newsletter_confirmation_links_to_the_address_served(client):
    response = client.post(
        "/api/newsletter/subscriptions/", {"email": "lectrice@example.org"}, content_type="application/json"
    )
    assert response.status_code == 202
    assert "http://127.0.0.1:8731/lettre-information/" in mail.outbox[-1].body
    assert ":8000" not in mail.outbox[-1].body
