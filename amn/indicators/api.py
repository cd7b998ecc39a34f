"""Indicator endpoints: the catalogue and figures for staff (unit-scoped), and the same
figures for the public with small-count suppression."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError

from amn.api.security import staff_auth
from amn.core.errors import DomainError
from amn.core.ratelimits import rate_limit
from amn.indicators.schemas import FigureOut, FigureQueryIn, IndicatorOut
from amn.indicators.selectors import (
    PUBLIC_GROUP,
    PUBLIC_RATE,
    FigureQuery,
    figure_list,
    indicator_list,
    may_read_figures,
    public_rows,
)

router = Router(tags=["indicators"])


def _figures(actor, filters: FigureQueryIn, *, public: bool):
    try:
        return figure_list(actor=actor, query=FigureQuery(**filters.dict()), public=public)
    except PermissionDenied as refusal:
        raise HttpError(403, str(refusal)) from None
    except DomainError as problem:
        raise HttpError(400, str(problem)) from None


@router.get("/", response=list[IndicatorOut], auth=staff_auth)
def indicators(request):
    """The indicator catalogue; 403 when your role does not read figures (as the
    catalogue page, /staff/indicators/)."""
    if not may_read_figures(request.auth):
        raise HttpError(403, _("Your role does not read crime figures."))
    return list(indicator_list())


@router.get("/values", response=list[FigureOut], auth=staff_auth, exclude_unset=True)
def values(request, filters: Query[FigureQueryIn]):
    """Figures for one of your units (default: your unit; the tree root for national
    roles): 403 when your role does not read figures, 404 for a unit outside your units,
    an unknown unit or indicator, 400 for a year without records or a breakdown the
    indicator does not allow. Never suppressed."""
    return [figure.as_dict() for figure in _figures(request.auth, filters, public=False)]


@router.get("/public", response=list[IndicatorOut], auth=None)
def public_indicators(request):
    """The indicators published to the public."""
    return list(indicator_list(public=True))


@router.get("/public/values", response=list[FigureOut], auth=None, exclude_unset=True)
def public_values(request, filters: Query[FigureQueryIn]):
    """Public figures of any unit (default: the tree root): counts below the suppression
    threshold read "<5", ratios resting on them are null. Rate limited per client together
    with the public statistics page (amn.indicators.selectors.PUBLIC_RATE): 429 over it."""
    rate_limit(request, group=PUBLIC_GROUP, rate=PUBLIC_RATE)
    return public_rows(_figures(None, filters, public=True))
