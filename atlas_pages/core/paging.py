"""Paging of every list in the API: ``limit`` and ``offset``, bounded."""

from ninja import Field

from atlas_pages.core.schemas import InputSchema


class Paging(InputSchema):
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000_000)
