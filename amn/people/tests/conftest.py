"""Fixtures of the people tests."""

from amn.access.tests.factories import fast_password_hashing, world  # noqa: F401 (fixtures)
