"""`amn geo-stats`: count per level and national population."""

from django.core.management.base import BaseCommand

from amn.core.locale_format import format_number
from amn.geo.selectors import geography_stats

LABELS = {
    "regions": "regions",
    "provinces": "provinces and prefectures",
    "cercles": "cercles",
    "communes": "communes",
    "arrondissements": "arrondissements",
    "population_2024": "population (RGPH 2024)",
    "households_2024": "households (RGPH 2024)",
}


class Command(BaseCommand):
    help = "Print the number of divisions per level and the national population."

    def handle(self, *args, **options):
        for key, value in geography_stats().items():
            self.stdout.write(f"{LABELS[key]:<28}{format_number(value, language='en'):>12}")
