"""`amn demo-logins [--base-url URL]`: print the demo URLs and accounts (used by `make demo`)."""

from django.core.management.base import BaseCommand
from django.utils import translation

from amn.accounts.demo import DEMO_CITIZEN, DEMO_PASSWORD, DEMO_STAFF


class Command(BaseCommand):
    help = "Print the URLs to open and the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    @translation.override("en")
    def handle(self, *args, base_url, **options):
        base = base_url.rstrip("/")
        pages = (
            ("Home (Arabic; French and English from the switcher)", "/"),
            ("Find a police station", "/stations/"),
            ("Staff sign-in", "/accounts/staff/login/"),
            ("Citizen sign-in", "/accounts/login/"),
            ("API documentation (OpenAPI)", "/api/v1/docs"),
            ("Django admin (administrator)", "/admin/"),
        )
        self.stdout.write("\nAmn is starting. Open:")
        for label, path in pages:
            self.stdout.write(f"  {label:<54}{base}{path}")
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for username, role, unit, *_names in DEMO_STAFF:
            self.stdout.write(f"  {username:<20}{role.label} — unit {unit}")
        self.stdout.write(
            f"  {DEMO_CITIZEN['email']:<20}Citizen (or phone {DEMO_CITIZEN['phone']})\n"
        )
