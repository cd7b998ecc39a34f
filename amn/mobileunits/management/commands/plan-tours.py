"""`amn plan-tours --region CODE --days N`: propose mobile-unit tours for a region with
OR-Tools and compare them with a nearest-first plan (amn.mobileunits.tour_planning)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from amn.core.errors import DomainError
from amn.mobileunits.planning import Limits
from amn.mobileunits.tour_planning import DEFAULT_MIN_DISTANCE_KM, proposal_as_json, tours_propose


def _clock(value: str) -> int:
    """Minutes after midnight of "HH:MM"."""
    hours, _sep, minutes = value.partition(":")
    try:
        result = int(hours) * 60 + int(minutes or 0)
    except ValueError:
        raise CommandError(_("--day-start must read HH:MM, e.g. 08:00.")) from None
    if not 0 <= result < 24 * 60:
        raise CommandError(_("--day-start must read HH:MM, e.g. 08:00."))
    return result


class Command(BaseCommand):
    help = (
        "Propose mobile-unit tours for a region: the communes far from any fixed ID office "
        "visited on N working days, maximising the RGPH 2024 population covered under "
        "working-day and distance limits (OR-Tools), compared with a nearest-first plan."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="HCP region code, 01 to 12")
        parser.add_argument("--days", type=int, required=True, help="number of working days")
        parser.add_argument(
            "--units",
            type=int,
            help="plan K hypothetical units at the region's police-unit bases instead of "
            "the region's recorded fleet",
        )
        parser.add_argument(
            "--season",
            help="start of the plan: a date (2026-03-02) or a season (2026-spring); "
            "default tomorrow",
        )
        parser.add_argument("--format", choices=("table", "json"), default="table")
        parser.add_argument(
            "--geometry",
            type=Path,
            help="folder of commune_centroids.csv and adjacency.csv "
            "(default $AMN_SHARED_DATA/geo/morocco)",
        )
        parser.add_argument(
            "--bases",
            choices=("police", "provinces"),
            default="police",
            help="where hypothetical units are based (default: police-unit seats)",
        )
        parser.add_argument(
            "--min-distance-km",
            type=float,
            default=DEFAULT_MIN_DISTANCE_KM,
            help="road km from the nearest fixed office beyond which a commune is served "
            "(default %(default)s)",
        )
        parser.add_argument("--day-hours", type=float, default=9.0, help="working day, hours")
        parser.add_argument("--day-start", default="08:00", help="start of the day, HH:MM")
        parser.add_argument(
            "--service-hours", type=float, default=3.0, help="time open at each stop, hours"
        )
        parser.add_argument("--max-km-per-day", type=int, default=300)
        parser.add_argument("--speed-kmh", type=float, default=50.0)
        parser.add_argument(
            "--time-limit", type=float, default=20.0, help="OR-Tools search time, seconds"
        )

    def handle(self, *args, **options):
        folder = options["geometry"] or Path(settings.AMN_SHARED_DATA) / "geo" / "morocco"
        try:
            limits = Limits(
                day_minutes=round(options["day_hours"] * 60),
                service_minutes=round(options["service_hours"] * 60),
                max_km_per_day=options["max_km_per_day"],
                speed_kmh=options["speed_kmh"],
                day_start_minute=_clock(options["day_start"]),
            )
        except ValueError as error:
            raise CommandError(
                _("Invalid working-day limits: %(reason)s") % {"reason": error}
            ) from None
        try:
            proposal = tours_propose(
                region_code=options["region"],
                days=options["days"],
                units=options["units"],
                season=options["season"],
                geometry_dir=folder,
                limits=limits,
                min_distance_km=options["min_distance_km"],
                time_limit_s=options["time_limit"],
                bases=options["bases"],
            )
        except DomainError as error:
            raise CommandError(str(error)) from None
        data = proposal_as_json(proposal)
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self._table(data)

    def _table(self, data: dict) -> None:
        write = self.stdout.write
        write(
            _(
                "Tour proposal — region %(code)s %(name)s, %(days)d working days (%(first)s to "
                "%(last)s)"
            )
            % {
                "code": data["region"]["code"],
                "name": data["region"]["name"],
                "days": len(data["days"]),
                "first": data["days"][0],
                "last": data["days"][-1],
            }
        )
        for unit in data["units"]:
            write(
                "  "
                + _("unit %(code)s %(name)s, base %(base)s")
                % {"code": unit["code"], "name": unit["name"], "base": unit["base_commune_name"]}
            )
        candidates = data["candidates"]
        write(
            _(
                "Communes far from any fixed office: %(far)d; reachable in a day: %(reach)d "
                "(population %(pop)s); out of reach: %(out)d"
            )
            % {
                "far": candidates["far_from_fixed_offices"],
                "reach": candidates["reachable"],
                "pop": f"{candidates['reachable_population']:,}",
                "out": len(candidates["unreachable"]),
            }
        )
        write("")
        write(
            f"{'day':<11} {'unit':<6} {'#':>2} {'arrive':>6} {'leave':>6} "
            f"{'population':>10}  commune"
        )
        for stop in data["stops"]:
            write(
                f"{stop['day']:<11} {stop['unit']:<6} {stop['order']:>2} {stop['arrival']:>6} "
                f"{stop['departure']:>6} {stop['population']:>10,}  "
                f"{stop['commune_name']} ({stop['commune_code']})"
            )
        write("")
        write(
            _("Population covered (OR-Tools): %(value)s in %(stops)d stops")
            % {"value": f"{data['population_covered']:,}", "stops": len(data["stops"])}
        )
        write(
            _("Population covered (nearest-first baseline): %(value)s in %(stops)d stops")
            % {
                "value": f"{data['baseline_population_covered']:,}",
                "stops": len(data["baseline"]["stops"]),
            }
        )
        ratio = data["ratio"]
        write(
            _("Ratio OR-Tools / baseline: %(ratio)s")
            % {"ratio": "—" if ratio is None else f"{ratio:.3f}"}
        )
        write(
            _("Solver: %(status)s in %(seconds)s s (limit %(limit)s s)")
            % {
                "status": data["solver"]["status"],
                "seconds": data["solver"]["seconds"],
                "limit": data["parameters"]["time_limit_s"],
            }
        )
        write(data["sources"])
        write(data["attribution"])
