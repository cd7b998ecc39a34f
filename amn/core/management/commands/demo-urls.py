"""`amn demo-urls [--base-url URL] [--year Y]`: print the URLs `make demo` ends with — the
public portal, the back office, the year's report in Arabic, French and English, and its
PDF (after `amn demo-logins`, which prints the accounts)."""

from django.core.management.base import BaseCommand
from django.urls import reverse


class Command(BaseCommand):
    help = "Print the URLs of the portal, the back office and the year's report."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")
        parser.add_argument("--year", type=int, default=2025, help="report year (2025)")

    def handle(self, *args, base_url, year, **options):
        base = base_url.rstrip("/")
        report = reverse("reports_public:report", kwargs={"year": year})
        pdf = reverse("reports_public:pdf", kwargs={"year": year})
        pages = [
            ("Public portal", reverse("portal:home")),
            ("Back office (staff sign-in first)", reverse("backoffice:dashboard")),
            *(
                (f"The {year} report ({name})", f"{report}?lang={code}")
                for code, name in (("ar", "Arabic"), ("fr", "French"), ("en", "English"))
            ),
            (f"The {year} report as PDF (Arabic)", f"{pdf}?lang=ar"),
        ]
        self.stdout.write("Open:")
        for label, path in pages:
            self.stdout.write(f"  {label:<40}{base}{path}")
