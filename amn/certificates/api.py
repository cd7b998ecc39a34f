"""JSON API of the certificates app."""

from ninja import Router

router = Router(tags=["certificates"])
