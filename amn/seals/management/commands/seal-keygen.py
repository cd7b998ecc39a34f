"""`amn seal-keygen [--key-id ID]`: print a new Ed25519 signing key for AMN_SEAL_KEYS."""

import secrets

from django.core.management.base import BaseCommand, CommandError

from amn.seals import signing


class Command(BaseCommand):
    help = (
        "Print a new Ed25519 certificate-seal key (and, if none is set, a control secret) as "
        "environment lines. Nothing is stored: put the lines in the server's environment."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--key-id", help="Key id, 1-8 characters A-Z 0-9 (default: K and 4 random ones)."
        )

    def handle(self, *args, key_id=None, **options):
        if key_id is None:
            key_id = "K" + "".join(secrets.choice(signing.CONTROL_KEY_ALPHABET) for _ in range(4))
        key_id = key_id.upper()
        if not signing.KEY_ID_PATTERN.fullmatch(key_id):
            raise CommandError("The key id must be 1-8 characters A-Z 0-9.")
        old_ids = sorted(set(signing.configured_keys()) - {key_id})
        if key_id in signing.configured_keys():
            raise CommandError(f"Key id {key_id} is already configured; choose another.")
        private, public = signing.new_key_pair()
        self.stdout.write(f"# Ed25519 seal key {key_id}; public key {public}")
        if old_ids:
            self.stdout.write(
                f"# Append to AMN_SEAL_KEYS after {', '.join(old_ids)} (comma-separated "
                "id=key pairs) and keep the old keys: their seals must still verify."
            )
        self.stdout.write(f"AMN_SEAL_KEYS={key_id}={private}")
        self.stdout.write(f"AMN_SEAL_ACTIVE_KEY={key_id}")
        if signing.uses_development_control_secret():
            self.stdout.write("# Set once and never change: control keys are printed on paper.")
            self.stdout.write(f"AMN_SEAL_CONTROL_SECRET={secrets.token_urlsafe(32)}")
