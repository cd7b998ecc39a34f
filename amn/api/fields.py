"""Field types of API schemas whose JSON Schema must describe what is actually sent."""

import datetime
from typing import Annotated

from pydantic import WithJsonSchema

# Pydantic documents a datetime.time as {"format": "time"}, which JSON Schema (RFC 3339)
# reads as a time with a UTC offset; Amn sends local wall-clock times (Africa/Casablanca)
# without one, e.g. "09:00:00", and clients must not take them for UTC.
LocalTime = Annotated[
    datetime.time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$",
            "description": "Local time of day (Africa/Casablanca), HH:MM[:SS], no UTC offset",
            "examples": ["09:00:00"],
        }
    ),
]
