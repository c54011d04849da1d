"""Production settings come from the environment; migrations match the models."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-check-0123456789abcdef",
    "ALLOWED_HOSTS": "cncd.example.org",
    "DATABASE_URL": "sqlite:///" + str(ROOT / "var" / "check.sqlite3"),
    "REDIS_URL": "redis://127.0.0.1:6379/1",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
    "CNCD_HISTORY_KEY": "a-history-key-kept-apart-from-the-database-0123456789",
}


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args, "--settings=cncd.settings.production"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_a_shared_cache():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "REDIS_URL"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr


def test_production_reads_database_cache_mail_and_task_queue_from_environment():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE']);"
        "print(s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION']);"
        "print(s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS);"
        "print(s.TASKS['default']['BACKEND'])"
    )
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://cncd:pw@db.example.org:5432/cncd"}
    result = manage("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:4] == [
        "django.db.backends.postgresql",
        "django.core.cache.backends.redis.RedisCache redis://127.0.0.1:6379/1",
        "smtp.example.org 587 True",
        "django_tasks_db.DatabaseBackend",
    ]


def test_db_worker_command_is_available():
    result = manage("db_worker", "--help", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "--queue-name" in result.stdout


def test_tests_and_dev_run_tasks_immediately():
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks.backends.immediate.ImmediateBackend"
    assert settings.LANGUAGE_CODE == "fr"
    assert settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] == "wagtail.search.backends.database"


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
