"""Production error pages: no traceback, SQL or settings; a correlation id that the log
line of the error carries too; and `amn check --deploy` clean with the minimal environment."""

import os
import re
import subprocess
import sys

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(ROOT_URLCONF="amn.portal.tests.failing_urls", DEBUG=False)
def test_a_server_error_shows_a_correlation_id_that_the_log_carries(client, caplog):
    client.raise_request_exception = False

    response = client.get("/boom/")

    html = response.content.decode()
    assert response.status_code == 500
    assert "Traceback" not in html and "SELECT" not in html and "SECRET_KEY" not in html
    request_id = re.search(r"<code dir=\"ltr\">([0-9a-f-]{36})</code>", html).group(1)
    logged = [r for r in caplog.records if r.name == "django.request" and r.levelname == "ERROR"]
    assert logged and logged[0].request_id == request_id


def test_deploy_check_passes_with_only_debug_secret_key_and_allowed_hosts(tmp_path):
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DEBUG": "false",
        "SECRET_KEY": "k" * 20 + "Qz8Rw2Lp5Nx7Vb3Hc9Jt4Mf6Gd1Sa0Ye",
        "ALLOWED_HOSTS": "amn.example.ma",
    }
    result = subprocess.run(
        [sys.executable, "-m", "amn.manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr + result.stdout
