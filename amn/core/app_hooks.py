"""Per-app extension points visited in INSTALLED_APPS order.

An app ships reference data by defining `reference.load_reference(*, actor) -> str` and
demo facts with `demo.load_demo() -> str`; the string is a one-line summary.
"""

from collections.abc import Callable, Iterator
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


def app_functions(module: str, function: str) -> Iterator[tuple[str, Callable]]:
    """Yield (app label, function) for every Amn app whose `<app>.<module>` defines it."""
    for config in apps.get_app_configs():
        if not config.name.startswith("amn."):
            continue
        name = f"{config.name}.{module}"
        if find_spec(name) is None:
            continue
        yield config.label, getattr(import_module(name), function)
