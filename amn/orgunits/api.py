"""Public endpoints of the police-unit registry."""

from ninja import Path, Router

from amn.orgunits.schemas import UnitEventOut, UnitOut
from amn.orgunits.selectors import station_list, unit_events_in_year

router = Router(tags=["police units"])


@router.get("/stations", response=list[UnitOut])
def stations(request, city: str = ""):
    """Active units that serve the public, optionally filtered by commune name."""
    return list(station_list(city=city[:100]))


@router.get("/history/{year}", response=list[UnitEventOut])
def history(request, year: int = Path(..., ge=1, le=9999)):
    """Every unit status change effective in `year`."""
    return list(unit_events_in_year(year=year))
