"""Public pages: home, about (sources and credits), find a police station, my requests."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from amn.audit.context import current_request_id
from amn.certificates.selectors import citizen_applications
from amn.core.text_input import clean_text
from amn.geo.selectors import geography_stats
from amn.orgunits.selectors import station_list


def home(request):
    """GET /: the public home page (services, language switcher)."""
    return render(request, "portal/home.html")


def about(request):
    """GET /about/: what Amn is, its sources and the census credit (HCP, CC BY 4.0)."""
    return render(request, "portal/about.html", {"geo": geography_stats()})


def stations(request):
    """GET /stations/?city=…: public units grouped by commune; `city` is cut to 100
    characters and matched leniently (see orgunits.selectors.station_list)."""
    city = clean_text(request.GET.get("city", ""))[:100]
    units = station_list(city=city)
    by_commune: dict = {}
    for unit in units:
        by_commune.setdefault(unit.commune, []).append(unit)
    return render(
        request,
        "portal/stations.html",
        {"city": city, "by_commune": by_commune.items(), "count": len(units)},
    )


@login_required(login_url="accounts:citizen-login")
def my_requests(request):
    """GET /my-requests/: the signed-in citizen's certificate and CNIE requests."""
    return render(
        request,
        "portal/my_requests.html",
        {"certificate_applications": citizen_applications(user=request.user)[:20]},
    )


def csrf_failure(request, reason: str = ""):
    """403 for a form posted without a valid CSRF token (often an expired page), in the
    visitor's language; `reason` (Django's technical explanation) is not shown."""
    return render(request, "403_csrf.html", status=403)


def server_error(request):
    """500 page: no traceback, SQL or settings — only the request's correlation id, which
    the log line of the error carries too (settings.LOGGING, "[request id]")."""
    return render(request, "500.html", {"request_id": current_request_id() or ""}, status=500)
