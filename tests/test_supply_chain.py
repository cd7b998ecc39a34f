"""Supply chain: no high-severity bandit finding, every dependency locked and justified."""

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _requirement_name(requirement: str) -> str:
    return re.split(r"[\[<>=~! ;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _declared() -> list[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    runtime = project["project"]["dependencies"]
    dev = project["dependency-groups"]["dev"]
    return [_requirement_name(requirement) for requirement in runtime + dev]


def test_bandit_finds_no_high_severity_issue():
    result = subprocess.run(  # noqa: S603 — fixed argv, our own interpreter
        [
            sys.executable,
            "-m",
            "bandit",
            "--quiet",
            "--recursive",
            str(REPO / "amn"),
            "--severity-level",
            "high",
            "--exclude",
            "*/tests/*",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
    )
    findings = json.loads(result.stdout)["results"]
    assert findings == [], [f"{f['filename']}:{f['line_number']} {f['test_id']}" for f in findings]


def test_every_declared_dependency_is_pinned_in_the_lock_file():
    lock = tomllib.loads((REPO / "uv.lock").read_text())
    locked = {package["name"]: package for package in lock["package"]}
    for name in _declared():
        assert name in locked, f"{name} is declared but not in uv.lock"
        assert locked[name].get("version") or locked[name].get("source"), name


def test_every_declared_dependency_is_justified_in_the_docs():
    text = (REPO / "docs" / "dependencies.md").read_text().lower()
    missing = [name for name in _declared() if name not in text]
    assert missing == []
