"""Mobile-unit endpoints: the public list of upcoming stops, and for staff the fleet, the
tours (unit-scoped) and the recording of a stop's results."""

import uuid

from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from amn.api.pagination import BoundedPageNumberPagination
from amn.api.security import staff_auth
from amn.mobileunits import selectors
from amn.mobileunits.schemas import (
    MobileUnitOut,
    PublicStopOut,
    StopOut,
    StopResultsIn,
    TourOut,
    TourSummaryOut,
    YearCountsOut,
)
from amn.mobileunits.services import may_write_fleet, stop_record_results

router = Router(tags=["mobile units"])


def _reader(request):
    if request.auth.role not in selectors.FLEET_READERS:
        raise HttpError(403, _("Your role does not give access to the mobile units."))
    return request.auth


@router.get("/stops/upcoming", response=list[PublicStopOut], auth=None)
@paginate(BoundedPageNumberPagination, page_size=50, max_page_size=200)
def upcoming_stops(
    request,
    region: str | None = Query(None, max_length=2, description="HCP region code, e.g. 09"),
    commune: str | None = Query(None, max_length=16, description="HCP commune code"),
):
    """Public: upcoming stops of planned tours, by date ({"items": […], "count": N})."""
    return selectors.stops_upcoming(region_code=region, commune_code=commune)


@router.get("/units", response=list[MobileUnitOut], auth=staff_auth)
def unit_list(request):
    """Mobile units attached to your units."""
    return list(selectors.mobile_unit_list(actor=_reader(request)))


@router.get("/tours", response=list[TourSummaryOut], auth=staff_auth)
@paginate(BoundedPageNumberPagination, page_size=50, max_page_size=200)
def tour_list(request, status: str | None = Query(None, max_length=10)):
    """Tours of your mobile units, newest first, optionally of one status."""
    return selectors.tour_list(actor=_reader(request), status=status)


@router.get("/tours/{tour_id}", response=TourOut, auth=staff_auth)
def tour_get(request, tour_id: uuid.UUID):
    """One tour with its stops; 404 when absent or outside your units."""
    return selectors.tour_get(actor=_reader(request), tour_id=tour_id)


@router.post("/stops/{stop_id}/results", response=StopOut, auth=staff_auth)
def stop_results(request, stop_id: uuid.UUID, payload: StopResultsIn):
    """Record a stop's results; 403 for roles that do not record them, 404 out of scope,
    409 when a rule refuses them (people served below applications, a stop to come …)."""
    actor = _reader(request)
    if not may_write_fleet(actor):
        raise HttpError(403, _("Your role does not record mobile-unit tours."))
    stop = selectors.stop_get(actor=actor, stop_id=stop_id)
    return stop_record_results(actor=actor, stop=stop, **payload.dict())


@router.get("/counts/{year}", response=YearCountsOut, auth=staff_auth)
def year_counts(request, year: int = Path(..., ge=2000, le=2100)):
    """Units in service, stops held and people served in `year` in your scope."""
    counts = selectors.fleet_year_counts(actor=_reader(request), year=year)
    return {"year": year, **counts}
