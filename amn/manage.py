"""The `amn` console script: Django's manage.py for the Amn project."""

import os
import sys


def main() -> None:
    """Run a Django management command from `sys.argv` (e.g. `amn migrate`)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amn.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
