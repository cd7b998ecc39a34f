"""The certificates of a generated demo year calibrated on a release (`amn generate-year`,
hook of amn.core.app_hooks): criminal_record_certificates_issued certificates issued in
the year in the national tree, of which criminal_record_certificates_online_requests
requested online — certificates and online applications of the year already recorded
(the demo's, live ones) counted in (amn.certificates.generation writes the rest)."""

from amn.cases.release_year import national_root
from amn.certificates.choices import Channel
from amn.certificates.generation import certificates_year_generate, submission_key
from amn.certificates.models import Certificate, CertificateApplication
from amn.core.errors import DomainError

ISSUED = "criminal_record_certificates_issued"
ONLINE = "criminal_record_certificates_online_requests"


def generate(*, year: int, scale: float, seed: int, targets: dict[str, float]) -> str:
    """Generate the year's issued certificates holding `targets` (scaled counts).

    Returns:
        a one-line summary naming the scale, or why nothing was generated.
    Raises:
        DomainError: records of the year already exceed a target; the generator refuses.
    """
    if ISSUED not in targets:
        return f"certificates {year}: no target, nothing generated"
    if CertificateApplication.objects.filter(submission_key=submission_key(year, seed, 0)):
        return f"certificates {year} at scale {scale:g}: already present"
    root = national_root()
    issued = Certificate.objects.filter(
        issued_on__year=year, issuing_unit__path__startswith=root.path
    ).count()
    online = CertificateApplication.objects.filter(
        submitted_on__year=year,
        channel=Channel.ONLINE,
        handling_unit__path__startswith=root.path,
    ).count()
    wanted, wanted_online = int(targets[ISSUED]) - issued, int(targets.get(ONLINE, 0)) - online
    if wanted < 1 or not 0 <= wanted_online <= wanted:
        raise DomainError(
            f"The {year} records already hold {issued} certificates and {online} online "
            "requests: the targets cannot be reached; choose a larger scale."
        )
    result = certificates_year_generate(
        year=year, certificates=wanted, online=wanted_online, seed=seed
    )
    seals = "signed seals" if result.sealed else "no seals (verify by serial and key)"
    return (
        f"certificates {year} at scale {scale:g}: {result.certificates} issued, "
        f"{result.online} requested online, {seals}"
    )
