"""JSON API of the mobileunits app."""

from ninja import Router

router = Router(tags=["mobileunits"])
