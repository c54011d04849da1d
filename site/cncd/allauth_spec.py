"""allauth's headless OpenAPI specification, served whole.

allauth describes the signup input from the site's signup form, whose help texts are
translatable (lazy) strings; its own views then fail to serialise them. These views render the
same specification with the lazy strings in the active language, at allauth's own addresses."""

import json

import yaml
from allauth.headless.spec.internal.schema import get_schema
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse


def specification() -> dict:
    return json.loads(json.dumps(get_schema(), cls=DjangoJSONEncoder))


def openapi_json(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        json.dumps(specification(), ensure_ascii=False),
        content_type="application/vnd.oai.openapi+json",
        headers={"Content-Disposition": "inline; filename=allauth-openapi.json"},
    )


def openapi_yaml(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        yaml.safe_dump(specification(), allow_unicode=True, sort_keys=False),
        content_type="application/vnd.oai.openapi",
        headers={"Content-Disposition": "inline; filename=allauth-openapi.yaml"},
    )
