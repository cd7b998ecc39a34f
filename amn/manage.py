"""The `amn` console script: Django's manage.py for the Amn project."""

import os
import sys


def main() -> None:
    """Run a Django management command from `sys.argv` (e.g. `amn migrate`).

    Command-line output is in English (terminals rarely lay out Arabic right to left);
    AMN_CLI_LANGUAGE=ar or fr changes it. Web pages stay Arabic first.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amn.settings")
    import django
    from django.core.management import execute_from_command_line
    from django.utils import translation

    django.setup()
    translation.activate(os.environ.get("AMN_CLI_LANGUAGE", "en"))
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
