"""Log formatting and redaction."""

import logging
import re
import time


class UTCFormatter(logging.Formatter):
    """Timestamps in UTC with a Z suffix: the system's tz files may predate Morocco's
    2026 switch to UTC+0, so local time from `time.localtime` cannot be trusted."""

    converter = time.gmtime
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"


class PersonalDataRedactor(logging.Filter):
    """Masks CNIE numbers, Moroccan phone numbers and e-mail addresses in a log record's
    message (law 09-08: no personal data in logs). Amn never puts them in URLs or messages
    itself, but a client can type them into a URL that Django then logs as "Not Found".

    Returns True always: the record is kept, its message rewritten.
    """

    PATTERNS = (
        (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "[e-mail]"),
        (re.compile(r"(?<!\d)(?:\+212|00212|0)[5-7]\d{8}(?!\d)"), "[phone]"),
        (re.compile(r"(?<![A-Za-z0-9-])[A-Za-z]{1,2}\d{4,8}(?![A-Za-z0-9-])"), "[CNIE]"),
    )

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = message
        for pattern, mask in self.PATTERNS:
            redacted = pattern.sub(mask, redacted)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
