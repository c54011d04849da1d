"""A front end built elsewhere, on the published schema: TypeScript types generated from
/api/openapi.json by openapi-typescript, and a small consumer (clients/typescript/consumer.ts:
pages, a padlocked page, a draft preview, an Atlas search, the caller's bookmarks) that must
type-check with ``tsc --strict``. The npm tools are pinned in package-lock.json."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / "node_modules" / ".bin"
CLIENT = ROOT / "clients" / "typescript"

pytestmark = pytest.mark.django_db


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)


def test_the_typed_consumer_compiles_against_the_served_schema(client):
    if not (BIN / "tsc").exists() or not (BIN / "openapi-typescript").exists():
        pytest.fail("openapi-typescript and TypeScript are needed (`make test` runs `npm ci`).")
    work = ROOT / "var" / "typescript" / os.environ.get("PYTEST_XDIST_WORKER", "main")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    (work / "openapi.json").write_text(json.dumps(schema.json()), encoding="utf-8")
    for name in ("consumer.ts", "tsconfig.json"):
        shutil.copy(CLIENT / name, work / name)

    generated = run(str(BIN / "openapi-typescript"), str(work / "openapi.json"), "-o", str(work / "api.d.ts"))
    assert generated.returncode == 0, generated.stderr + generated.stdout
    types = (work / "api.d.ts").read_text(encoding="utf-8")
    assert '"/api/pages/preview/"' in types and '"/api/me/bookmarks/"' in types

    checked = run(str(BIN / "tsc"), "-p", str(work / "tsconfig.json"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    config = json.loads((CLIENT / "tsconfig.json").read_text(encoding="utf-8"))
    assert config["compilerOptions"]["strict"] is True
