"""Identity matching (issue 4, section 2): normalisation of names in Arabic and Latin
script, a cross-script key, blocking keys stored in PersonMatchKey, and the registry check
that scores candidates field by field.

Public entry points:
    person_match_keys(record) -> set[str]         keys to store for a registry person
    person_identity_record(person) -> IdentityRecord
    registry_check(applicant, *, limit=5) -> CheckResult
"""

from amn.people.matching.check import person_identity_record, registry_check
from amn.people.matching.keys import applicant_match_keys, person_match_keys

__all__ = [
    "applicant_match_keys",
    "person_identity_record",
    "person_match_keys",
    "registry_check",
]
