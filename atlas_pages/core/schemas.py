"""What every input of the API shares: bounded text and lists, documented in the OpenAPI.

Every input schema derives from ``InputSchema``: no text is longer than ``TEXT_MAX_LENGTH``
unless its field says less (``maxLength`` in the schema, a 422 naming the field otherwise), and
every list field names its own ``max_length`` (``maxItems``), which
``tests/core/test_api_bounds.py`` checks for the whole API.
"""

from ninja import Schema
from pydantic import ConfigDict

#: The longest text any field takes (a dossier's description, an opinion); fields that mean
#: less say so with their own ``max_length``.
TEXT_MAX_LENGTH = 10_000


class InputSchema(Schema):
    model_config = ConfigDict(str_max_length=TEXT_MAX_LENGTH)
