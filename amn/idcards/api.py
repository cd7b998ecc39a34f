"""JSON API of the idcards app."""

from ninja import Router

router = Router(tags=["idcards"])
