"""JSON API of the appointments app."""

from ninja import Router

router = Router(tags=["appointments"])
