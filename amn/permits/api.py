"""JSON API of the permits app."""

from ninja import Router

router = Router(tags=["permits"])
