"""The personnel of a generated demo year calibrated on a release (`amn generate-year`,
hook of amn.core.app_hooks): round(80,000 × scale) staff members (the DGSN's workforce,
about 80,000 officers — an order of magnitude, not a figure of the release) of whom
recruits_hired hired in the year, recruitment_posts_offered posts offered,
staff_trained trained and staff_promoted promoted (amn.hr.generation.staff_year_generate).
"""

from amn.hr.generation import staff_year_generate

NATIONAL_STAFF = 80_000
CODES = {
    "recruits": "recruits_hired",
    "posts_offered": "recruitment_posts_offered",
    "trained": "staff_trained",
    "promoted": "staff_promoted",
}


def generate(*, year: int, scale: float, seed: int, targets: dict[str, float]) -> str:
    """Generate the year's personnel holding the HR targets (scaled counts).

    Returns:
        a one-line summary naming the scale, or why nothing was generated.
    Raises:
        DomainError: from staff_year_generate (counts refused, the year already generated
            with other counts …).
    """
    if CODES["recruits"] not in targets:
        return f"personnel {year}: no target, nothing generated"
    counts = {name: int(targets.get(code, 0)) for name, code in CODES.items()}
    summary = staff_year_generate(
        year=year, staff=round(NATIONAL_STAFF * scale), seed=seed, **counts
    )
    state = "already present" if summary.already_present else "written"
    return (
        f"personnel {year} at scale {scale:g}: {summary.staff} staff, {summary.recruits} "
        f"recruits, {summary.posts_offered} posts offered, {summary.trained} trained, "
        f"{summary.promoted} promoted {state}"
    )
