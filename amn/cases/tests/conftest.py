"""Fixtures of the cases tests: the demo world and the cases recorded in it."""

from amn.access.tests.factories import fast_password_hashing, world  # noqa: F401 (fixtures)
from amn.cases.tests.scoped_cases import scoped_cases  # noqa: F401 (fixture)
