"""The identity django-axes counts failed sign-ins against."""

from amn.accounts.phones import phone_normalise


def lockout_username(request, credentials: dict | None) -> str:
    """One key per account whatever its spelling: a phone number in any accepted form
    ("0612…", "+212 612…", Arabic-Indic digits) becomes "+212612…", anything else is
    stripped and lower-cased (e-mails are case-insensitive at sign-in).

    Without this, each spelling of the same identifier would get its own 5 attempts.
    """
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return phone_normalise(raw) or raw.strip().lower()
