"""Fixtures of the report tests: the statistics engine's small exact world (units dg →
ws-fes → ws-fes-d1, sp-taza; ws-agadir; staff analyst.hq, officer.fes, officer.agadir,
hr.fes; cases of 2024 and 2025)."""

from amn.indicators.tests.factories import stats_world  # noqa: F401 (fixture)
