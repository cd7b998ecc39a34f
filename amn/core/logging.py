"""Log formatting."""

import logging
import time


class UTCFormatter(logging.Formatter):
    """Timestamps in UTC with a Z suffix: the system's tz files may predate Morocco's
    2026 switch to UTC+0, so local time from `time.localtime` cannot be trusted."""

    converter = time.gmtime
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"
