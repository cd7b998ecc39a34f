"""Pages of the mobile units: the public list of upcoming stops, and the staff pages (fleet,
tours, a tour's stops, recording a stop's results, closing a tour). Reads go through
amn.mobileunits.selectors (scoped), writes through amn.mobileunits.services."""

import uuid
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.backoffice.decorators import staff_required
from amn.core.errors import DomainError
from amn.mobileunits import selectors
from amn.mobileunits.choices import TourStatus
from amn.mobileunits.forms import StopResultsForm, TourFilterForm, UpcomingStopsForm
from amn.mobileunits.services import may_write_fleet, stop_record_results, tour_status_set

PAGE_SIZE = 50


def fleet_readers_only(view):
    """Staff whose role reads the fleet (selectors.FLEET_READERS); other staff and
    citizens get 403, anonymous users the staff login."""

    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.role not in selectors.FLEET_READERS:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def fleet_writers_only(view):
    """Staff whose role records tours and results (services.FLEET_WRITERS)."""

    @fleet_readers_only
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_write_fleet(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def upcoming_stops_page(request):
    """GET /mobile-units/?region=09&page=: upcoming stops of the mobile units (public; no
    personal data), filtered by region, 50 a page."""
    regions = selectors.region_choices()
    form = UpcomingStopsForm(request.GET or None, regions=regions)
    region = form.cleaned_data["region"] if form.is_bound and form.is_valid() else ""
    stops = selectors.stops_upcoming(region_code=region or None)
    page = Paginator(stops, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "mobileunits/upcoming.html",
        {"form": form, "page": page, "region": region, "today": timezone.localdate()},
    )


@fleet_readers_only
def fleet_page(request):
    """GET /staff/mobile-units/: mobile units of the actor's units, with this year's
    figures for the actor's scope."""
    units = list(selectors.mobile_unit_list(actor=request.user))
    year = timezone.localdate().year
    audit_event_record(
        actor=request.user,
        action=AuditAction.LIST,
        target="mobileunits.mobileunit",
        detail={"shown": len(units)},
    )
    return render(
        request,
        "mobileunits/fleet.html",
        {
            "units": units,
            "year": year,
            "today": timezone.localdate(),
            "counts": selectors.fleet_year_counts(actor=request.user, year=year),
            "may_write": may_write_fleet(request.user),
        },
    )


@fleet_readers_only
def tour_list_page(request):
    """GET /staff/mobile-units/tours/?status=&unit=&page=: tours of the actor's units."""
    form = TourFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
    unit_id = None
    try:
        unit_id = uuid.UUID(request.GET["unit"]) if request.GET.get("unit") else None
    except ValueError:
        form.add_error(None, _("Unknown mobile unit."))
    tours = selectors.tour_list(actor=request.user, mobile_unit_id=unit_id, status=status or None)
    page = Paginator(tours, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "mobileunits/tours.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@fleet_readers_only
def tour_page(request, tour_id: uuid.UUID):
    """GET /staff/mobile-units/tours/<uuid>/: a tour and its stops; 404 out of scope."""
    tour = selectors.tour_get(actor=request.user, tour_id=tour_id)
    stops = list(selectors.tour_stops(tour=tour))
    online = selectors.online_applications_by_stop([stop.pk for stop in stops])
    for stop in stops:
        stop.online_applications = online.get(stop.pk)
    today = timezone.localdate()
    return render(
        request,
        "mobileunits/tour.html",
        {
            "tour": tour,
            "stops": stops,
            "today": today,
            "may_write": may_write_fleet(request.user),
            "is_planned": tour.status == TourStatus.PLANNED,
            "totals": {
                "people_served": sum(s.people_served or 0 for s in stops),
                "applications_received": sum(s.applications_received or 0 for s in stops),
                "cards_delivered": sum(s.cards_delivered or 0 for s in stops),
            },
        },
    )


@fleet_writers_only
def stop_results_page(request, stop_id: uuid.UUID):
    """GET/POST /staff/mobile-units/stops/<uuid>/results/: record or correct a stop's
    results (services.stop_record_results); 404 out of scope; 400 with the errors of
    refused figures."""
    stop = selectors.stop_get(actor=request.user, stop_id=stop_id)
    recorded_in_amn = selectors.online_applications_by_stop([stop.pk]).get(stop.pk)
    if stop.has_results or recorded_in_amn is None:
        initial = {
            "applications_received": stop.applications_received,
            "cards_delivered": stop.cards_delivered,
            "people_served": stop.people_served,
        }
    else:  # first recording: start from the applications and deliveries Amn knows of
        initial = dict(recorded_in_amn)
    form = StopResultsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            stop_record_results(actor=request.user, stop=stop, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The stop's results are recorded."))
            return redirect("mobileunits-staff:tour", tour_id=stop.tour_id)
    return render(
        request,
        "mobileunits/stop_results.html",
        {"stop": stop, "form": form, "recorded_in_amn": recorded_in_amn},
        status=400 if form.is_bound else 200,
    )


@require_POST
@fleet_writers_only
def tour_close_page(request, tour_id: uuid.UUID):
    """POST /staff/mobile-units/tours/<uuid>/close/ with status=done|cancelled."""
    tour = selectors.tour_get(actor=request.user, tour_id=tour_id)
    try:
        tour_status_set(actor=request.user, tour=tour, status=request.POST.get("status", ""))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The tour is closed."))
    return redirect("mobileunits-staff:tour", tour_id=tour.pk)
