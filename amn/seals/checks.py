"""System checks of the seal configuration (Django's check framework).

- seals.E001: AMN_SEAL_KEYS holds a malformed key id or key (always checked).
- seals.E002: AMN_SEAL_ACTIVE_KEY is not one of AMN_SEAL_KEYS (always checked).
- seals.W001 (deploy): no signing key configured and SECRET_KEY is the public local default,
  so the key derived from it signs forgeable seals.
- seals.W002 (deploy): the same for control keys.
- seals.I001 (deploy): a deployment (its own SECRET_KEY) derives its seal keys from that
  secret — sound, but rotating SECRET_KEY would then void every certificate: separate keys
  are recommended. Only informational, so a deployment configured with nothing but DEBUG,
  SECRET_KEY and ALLOWED_HOSTS passes `amn check --deploy --fail-level WARNING` (issue 7).
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from amn.seals import signing


@checks.register(checks.Tags.security)
def check_seal_keys(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Errors for a malformed AMN_SEAL_KEYS / AMN_SEAL_ACTIVE_KEY (see module docstring)."""
    if signing.uses_development_key():
        return []
    try:
        signing.signing_keys()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="seals.E001")]
    try:
        signing.active_key_id()
    except ImproperlyConfigured as exc:
        return [
            checks.Error(
                str(exc),
                hint="Set AMN_SEAL_ACTIVE_KEY to the id of the key that signs new seals.",
                id="seals.E002",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_seal_secrets_in_production(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Warnings (deploy only) when seals rely on keys derived from the public default
    SECRET_KEY; information when they derive from a deployment's own SECRET_KEY."""
    if settings.PRODUCTION and (
        signing.uses_development_key() or signing.uses_development_control_secret()
    ):
        return [
            checks.Info(
                "Certificate seals and control keys are derived from SECRET_KEY.",
                hint=(
                    "Rotating SECRET_KEY would void every certificate: generate separate keys "
                    "with `amn seal-keygen` (AMN_SEAL_KEYS, AMN_SEAL_ACTIVE_KEY, "
                    "AMN_SEAL_CONTROL_SECRET)."
                ),
                id="seals.I001",
            )
        ]
    messages = []
    if signing.uses_development_key():
        messages.append(
            checks.Warning(
                "Certificate seals are signed with a development key derived from SECRET_KEY.",
                hint=(
                    "Generate a key with `amn seal-keygen` and set AMN_SEAL_KEYS and "
                    "AMN_SEAL_ACTIVE_KEY in the environment."
                ),
                id="seals.W001",
            )
        )
    if signing.uses_development_control_secret():
        messages.append(
            checks.Warning(
                "Certificate control keys are derived from SECRET_KEY.",
                hint=(
                    "Set AMN_SEAL_CONTROL_SECRET (printed by `amn seal-keygen`) and keep it "
                    "across key rotations: control keys are printed on certificates."
                ),
                id="seals.W002",
            )
        )
    return messages
