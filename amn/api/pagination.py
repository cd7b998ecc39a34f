"""Page-number pagination of API lists with bounded inputs: a page number beyond any real
list (or beyond the database's integer range) is a 422, not a 500."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000


class BoundedPageNumberPagination(PageNumberPagination):
    """django-ninja's PageNumberPagination with `page` at most MAX_PAGE and `page_size` at
    most 1,000 (each endpoint's `max_page_size` caps it further)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=1_000)
