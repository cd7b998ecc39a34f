"""Fixtures shared by every test suite."""

import importlib
import logging
import os
import re
import shutil
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def command_line_language():
    """Code called outside a request speaks English, as `amn` on the command line does
    (amn.manage); requests still choose their language through the middleware."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Tests create accounts by the dozen; PBKDF2 would spend seconds hashing passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real shared data sets (env AMN_SHARED_DATA, default ../shared/data).

    Skips the test when absent, unless AMN_REQUIRE_SHARED_DATA=1 (CI), which fails it.
    """
    folder = Path(settings.AMN_SHARED_DATA)
    if not folder.is_dir():
        message = f"shared data folder {folder} is absent (set AMN_SHARED_DATA)"
        if os.environ.get("AMN_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return folder


@pytest.fixture
def reference_data(db):
    """Unit types and the census geography, loaded the way `amn load-reference` does."""
    from django.core.management import call_command

    call_command("load-reference", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def demo_data(reference_data):
    """The demo units, accounts and persons of `amn load-demo`."""
    from django.core.management import call_command

    call_command("load-demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def force_login_passes_the_second_factor(monkeypatch):
    """`Client.force_login` skips authentication, so it also skips the staff second factor:
    the session is marked verified by a confirmed TOTP device, as after the code step. The
    sign-in flow itself (password, then code) is tested in amn/accounts/tests/test_mfa.py."""
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if user.is_staff_member:
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device, _ = TOTPDevice.objects.get_or_create(
                user=user, confirmed=True, defaults={"name": "test"}
            )
            from amn.accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT

            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = int(time.time())
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the cache: each test starts with none counted."""
    from django.core.cache import cache

    cache.clear()


# --- no personal data in logs (issue 7): every log line of the suite is kept and scanned ---

PERSONAL_DATA_PATTERNS = {
    # Not inside a longer token: a UUID's "c2862464" is no CNIE number.
    "CNIE number": re.compile(r"(?<![A-Za-z0-9-])[A-Za-z]{1,2}\d{5,8}(?![A-Za-z0-9-])"),
    "phone number": re.compile(r"(?<!\d)(?:\+212|00212|0)[5-7]\d{8}(?!\d)"),
    "e-mail address": re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),
    "token or key": re.compile(
        r"(?i)(?:api[_-]?key|token|sessionid|csrftoken|password|secret)\s*[=:]\s*\S{6,}"
    ),
}
LOG_CAPTURE_ROOT = Path(__file__).parent / "var" / "test-logs"


def _log_capture_dir() -> Path:
    """This run's folder (named by the main process, inherited by xdist workers)."""
    return Path(os.environ.setdefault("AMN_TEST_LOG_DIR", str(LOG_CAPTURE_ROOT / str(os.getpid()))))


class _LogFile(logging.Handler):
    """Writes what the console handler of settings.LOGGING would write: same filters."""

    def __init__(self, path: Path):
        super().__init__(level=logging.DEBUG)
        self.stream = path.open("a", encoding="utf-8")
        for name in settings.LOGGING["handlers"]["console"].get("filters", []):
            factory = settings.LOGGING["filters"][name]["()"]
            module, _, attribute = factory.rpartition(".")
            self.addFilter(getattr(importlib.import_module(module), attribute)())

    def emit(self, record):
        try:
            line = f"{record.name}\t{record.getMessage()}".replace("\n", " ")
        except Exception:
            self.handleError(record)
        else:
            self.stream.write(line + "\n")

    def handle(self, record):
        # Filters may rewrite the record: work on a copy, as each real handler sees it.
        return super().handle(logging.makeLogRecord(record.__dict__))


@pytest.fixture(scope="session", autouse=True)
def captured_logs(worker_id):
    """Copy every log record of this test process (after Django configured logging) into
    var/test-logs/<worker>.log, for the scan at the end of the session."""
    folder = _log_capture_dir()
    folder.mkdir(parents=True, exist_ok=True)
    handler = _LogFile(folder / f"{worker_id}.log")
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    for logger in loggers:
        logger.addHandler(handler)
    yield
    for logger in loggers:
        logger.removeHandler(handler)
    handler.stream.close()


def personal_data_in(line: str) -> list[str]:
    """Names of the kinds of personal data found in `line`."""
    return [kind for kind, pattern in PERSONAL_DATA_PATTERNS.items() if pattern.search(line)]


def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput"):
        shutil.rmtree(_log_capture_dir(), ignore_errors=True)


def pytest_sessionfinish(session, exitstatus):
    """In the main process, after every worker is done: fail the run when any captured log
    line holds a CNIE number, a phone number, an e-mail address or a token."""
    folder = _log_capture_dir()
    if hasattr(session.config, "workerinput") or not folder.is_dir():
        return
    findings = []
    for path in sorted(folder.glob("*.log")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            kinds = personal_data_in(line)
            if kinds:
                findings.append(f"{path.name}:{number}: {', '.join(kinds)}: {line[:200]}")
    if findings:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        reporter.write_line(f"PERSONAL DATA IN LOGS ({len(findings)} lines):", red=True)
        for finding in findings[:50]:
            reporter.write_line(finding)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    shutil.rmtree(folder, ignore_errors=True)
