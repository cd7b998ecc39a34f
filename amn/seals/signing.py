"""Signed certificate payloads (Ed25519), holder digests and control keys.

A payload is the text carried by the QR code of a certificate. It reads

    S1.<key id>.<base32 of body + signature>

- ``S1`` is the format version; ``<key id>`` names the signing key so that keys can rotate
  (old keys stay configured for verification only);
- the body packs the claims in a fixed binary layout (dates as days since 2000-01-01,
  statement as one letter, a 5-byte holder digest, then the serial in UTF-8);
- the signature is Ed25519 (RFC 8032, 64 bytes) over ``S1.<key id>.`` + body, so the version
  and the key id are signed too.

Upper-case RFC 4648 base32 keeps every character inside the QR "alphanumeric" set, which
stores 5.5 bits per character instead of 8: a payload for a 16-character serial is about
150 characters and fits a version-6 QR (41×41 modules) at error-correction level M, where
base64url would need version 8 (49×49). Decoding is strict: any text that is not exactly the
canonical encoding of a validly signed body raises ``ForgedPayload``.

Configuration (read lazily, each call; see ``amn.seals.checks`` for the checks):

- ``AMN_SEAL_KEYS``: mapping key id → base64 (url-safe or standard, padding optional) of a
  32-byte raw Ed25519 private key. Key ids are 1–8 characters ``A-Z 0-9``.
- ``AMN_SEAL_ACTIVE_KEY``: the key id used to sign new payloads.
- ``AMN_SEAL_CONTROL_SECRET``: the secret of control keys and holder digests. It must stay the
  same across signing-key rotations: control keys are printed on certificates.

Without ``AMN_SEAL_KEYS`` (development, demo, tests) a key with id ``DEV`` is derived from
``SECRET_KEY``, and without ``AMN_SEAL_CONTROL_SECRET`` the control secret is derived from it
too; ``amn check --deploy`` warns about both (the default ``SECRET_KEY`` is public, so such
seals can be forged by anyone).
"""

import base64
import binascii
import datetime
import functools
import hashlib
import hmac
import re

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from amn.core.digits import ascii_digits
from amn.core.text_search import search_fold

FORMAT_VERSION = "S1"
DEV_KEY_ID = "DEV"
KEY_ID_PATTERN = re.compile(r"[A-Z0-9]{1,8}")

# Statement codes of the certificate model and the byte that carries each in the payload.
STATEMENT_BYTES = {"NO_RECORD": b"N", "RECORD": b"R"}
_STATEMENT_CODES = {byte: code for code, byte in STATEMENT_BYTES.items()}

EPOCH = datetime.date(2000, 1, 1)
_MAX_DAYS = 0xFFFF  # two bytes of days since EPOCH: up to 2179-06-06
HOLDER_DIGEST_BYTES = 5
SIGNATURE_BYTES = 64
_FIXED_BODY_BYTES = 2 + 2 + 1 + HOLDER_DIGEST_BYTES
MAX_SERIAL_BYTES = 40

# Crockford's base32 alphabet: no I, L, O or U, so a control key read aloud or typed from
# paper cannot confuse 1/I/L or 0/O.
CONTROL_KEY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CONTROL_KEY_LENGTH = 8  # 40 bits
_CONTROL_KEY_READ = str.maketrans({"O": "0", "I": "1", "L": "1"})
_CONTROL_KEY_DROP = re.compile(r"[\s\-_.]+")


class ForgedPayload(Exception):
    """A payload that is not a validly signed, canonically encoded ``S1`` payload.

    The message is the same whatever the cause; ``reason`` is a short code for the
    verification log ("encoding", "version", "key", "signature", "content"), never a secret.
    """

    def __init__(self, reason: str):
        super().__init__(str(_("This is not a genuine certificate seal.")))
        self.reason = reason


# --- keys -------------------------------------------------------------------------------


def _derive(label: str) -> bytes:
    """32 bytes derived from SECRET_KEY for `label` (HMAC-SHA256): development fallback."""
    return hmac.new(settings.SECRET_KEY.encode(), label.encode(), hashlib.sha256).digest()


def decode_key_material(text: str) -> bytes:
    """Decode base64 (url-safe or standard, padding optional) of a raw key.

    Returns:
        bytes; raises ValueError when the text is not base64.
    """
    cleaned = text.strip().replace("+", "-").replace("/", "_").rstrip("=")
    try:
        return base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64") from exc


def encode_key_material(raw: bytes) -> str:
    """Url-safe base64 without padding (no '=', '+', '/' or '$': safe in env files)."""
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def configured_keys() -> dict[str, str]:
    """The AMN_SEAL_KEYS setting as a dict (key id → base64 private key); {} when unset."""
    return dict(getattr(settings, "AMN_SEAL_KEYS", None) or {})


def uses_development_key() -> bool:
    """True when no signing key is configured and the DEV key derived from SECRET_KEY is used."""
    return not configured_keys()


def uses_development_control_secret() -> bool:
    """True when AMN_SEAL_CONTROL_SECRET is unset and the secret comes from SECRET_KEY."""
    return not getattr(settings, "AMN_SEAL_CONTROL_SECRET", "")


@functools.lru_cache(maxsize=16)
def _load_keys(items: tuple[tuple[str, str], ...]) -> dict[str, Ed25519PrivateKey]:
    keys = {}
    for key_id, material in items:
        if not KEY_ID_PATTERN.fullmatch(key_id):
            raise ImproperlyConfigured(f"AMN_SEAL_KEYS: key id {key_id!r} is not 1-8 A-Z 0-9.")
        try:
            raw = decode_key_material(material)
        except ValueError:
            raw = b""
        if len(raw) != 32:
            raise ImproperlyConfigured(
                f"AMN_SEAL_KEYS: key {key_id} is not the base64 of 32 raw bytes."
            )
        keys[key_id] = Ed25519PrivateKey.from_private_bytes(raw)
    return keys


def signing_keys() -> dict[str, Ed25519PrivateKey]:
    """All configured private keys by key id (the DEV key alone when none is configured).

    Raises:
        ImproperlyConfigured: a key id or key material is malformed.
    """
    configured = configured_keys()
    if not configured:
        return {DEV_KEY_ID: Ed25519PrivateKey.from_private_bytes(_derive("amn.seals.dev-key"))}
    return _load_keys(tuple(sorted((str(k), str(v)) for k, v in configured.items())))


def active_key_id() -> str:
    """The key id that signs new payloads (AMN_SEAL_ACTIVE_KEY, or DEV in development).

    Raises:
        ImproperlyConfigured: keys are configured but the active id is not one of them.
    """
    if uses_development_key():
        return DEV_KEY_ID
    key_id = getattr(settings, "AMN_SEAL_ACTIVE_KEY", "")
    if key_id not in configured_keys():
        raise ImproperlyConfigured("AMN_SEAL_ACTIVE_KEY must name one of AMN_SEAL_KEYS.")
    return key_id


def public_keys() -> dict[str, str]:
    """Public keys by key id, url-safe base64 of the 32 raw bytes (for publication)."""
    return {
        key_id: encode_key_material(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
        for key_id, key in signing_keys().items()
    }


def new_key_pair() -> tuple[str, str]:
    """A fresh Ed25519 key pair as (private, public), url-safe base64 of raw 32-byte keys."""
    private = Ed25519PrivateKey.generate()
    return (
        encode_key_material(private.private_bytes_raw()),
        encode_key_material(private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)),
    )


def _control_secret() -> bytes:
    secret = getattr(settings, "AMN_SEAL_CONTROL_SECRET", "")
    if secret:
        return hashlib.sha256(b"amn.seals.control|" + str(secret).encode()).digest()
    return _derive("amn.seals.dev-control")


# --- payloads ---------------------------------------------------------------------------


def holder_digest(name: str) -> str:
    """A short keyed digest binding a certificate to its holder's name, without the name.

    Args:
        name: the holder's full name as printed (any script); folded with
            amn.core.text_search.search_fold so case, diacritics and hamza forms do not matter.
    Returns:
        str, 10 lower-case hex characters (40 bits of HMAC-SHA256 under the control secret).
        Keyed so that a QR payload alone does not let anyone test guesses of the name.
    """
    folded = search_fold(name).encode()
    mac = hmac.new(_control_secret(), b"holder|" + folded, hashlib.sha256).digest()
    return mac[:HOLDER_DIGEST_BYTES].hex()


def _days(value: datetime.date, claim: str) -> bytes:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise ValueError(f"claim {claim} must be a date")
    days = (value - EPOCH).days
    if not 0 <= days <= _MAX_DAYS:
        raise ValueError(f"claim {claim} is out of range")
    return days.to_bytes(2, "big")


def _signed_prefix(key_id: str) -> bytes:
    return f"{FORMAT_VERSION}.{key_id}.".encode()


def _b32encode(data: bytes) -> str:
    return base64.b32encode(data).decode().rstrip("=")


def seal_payload(claims: dict) -> str:
    """Encode and sign certificate claims with the active key.

    Args:
        claims: {"serial": str (1–40 UTF-8 bytes), "issued_on": date, "valid_until": date,
            "statement": "NO_RECORD" | "RECORD", "holder": str from holder_digest()}.
            Extra keys are refused so that nothing unsigned is believed to be sealed.
    Returns:
        str, ``S1.<key id>.<base32>``, upper-case letters, digits and dots only.
    Raises:
        ValueError: a claim is missing, extra or malformed.
        ImproperlyConfigured: the signing keys are misconfigured.
    """
    expected = {"serial", "issued_on", "valid_until", "statement", "holder"}
    if set(claims) != expected:
        raise ValueError(f"claims must be exactly {sorted(expected)}")
    serial = str(claims["serial"]).encode()
    if not 0 < len(serial) <= MAX_SERIAL_BYTES:
        raise ValueError("claim serial must be 1-40 bytes")
    if claims["statement"] not in STATEMENT_BYTES:
        raise ValueError("claim statement must be NO_RECORD or RECORD")
    try:
        holder = bytes.fromhex(claims["holder"])
    except (TypeError, ValueError) as exc:
        raise ValueError("claim holder must be a holder_digest()") from exc
    if len(holder) != HOLDER_DIGEST_BYTES:
        raise ValueError("claim holder must be a holder_digest()")
    body = (
        _days(claims["issued_on"], "issued_on")
        + _days(claims["valid_until"], "valid_until")
        + STATEMENT_BYTES[claims["statement"]]
        + holder
        + serial
    )
    key_id = active_key_id()
    signature = signing_keys()[key_id].sign(_signed_prefix(key_id) + body)
    return f"{FORMAT_VERSION}.{key_id}.{_b32encode(body + signature)}"


def _public_key(key_id: str) -> Ed25519PublicKey | None:
    key = signing_keys().get(key_id)
    return key.public_key() if key is not None else None


def open_payload(text: str) -> dict:
    """Check and decode a payload made by seal_payload().

    Args:
        text: the payload as scanned or pasted; surrounding white space is ignored, nothing
            else is forgiven (no case folding, no missing or extra characters).
    Returns:
        dict with the claims of seal_payload() plus "key_id" (str): "serial" (str),
        "issued_on" and "valid_until" (date), "statement" (str), "holder" (10 hex chars).
    Raises:
        ForgedPayload: malformed text, unknown version or key id, bad signature, or any byte
            changed. The key may have been removed from configuration (revoked key).
    """
    parts = str(text).strip().split(".")
    if len(parts) != 3:
        raise ForgedPayload("encoding")
    version, key_id, encoded = parts
    if version != FORMAT_VERSION:
        raise ForgedPayload("version")
    if not KEY_ID_PATTERN.fullmatch(key_id):
        raise ForgedPayload("key")
    try:
        raw = base64.b32decode(encoded + "=" * (-len(encoded) % 8))
    except (binascii.Error, ValueError):
        raise ForgedPayload("encoding") from None
    # base32 leaves unused low bits in the last character: only the canonical text is valid.
    if _b32encode(raw) != encoded or len(raw) <= _FIXED_BODY_BYTES + SIGNATURE_BYTES:
        raise ForgedPayload("encoding")
    public_key = _public_key(key_id)
    if public_key is None:
        raise ForgedPayload("key")
    body, signature = raw[:-SIGNATURE_BYTES], raw[-SIGNATURE_BYTES:]
    try:
        public_key.verify(signature, _signed_prefix(key_id) + body)
    except InvalidSignature:
        raise ForgedPayload("signature") from None
    try:
        serial = body[_FIXED_BODY_BYTES:].decode()
        statement = _STATEMENT_CODES[body[4:5]]
    except (UnicodeDecodeError, KeyError):
        raise ForgedPayload("content") from None
    return {
        "key_id": key_id,
        "serial": serial,
        "issued_on": EPOCH + datetime.timedelta(days=int.from_bytes(body[0:2], "big")),
        "valid_until": EPOCH + datetime.timedelta(days=int.from_bytes(body[2:4], "big")),
        "statement": statement,
        "holder": body[5:_FIXED_BODY_BYTES].hex(),
    }


# --- control keys -----------------------------------------------------------------------


def _canonical_serial(serial: str) -> str:
    return ascii_digits(str(serial)).strip().upper()


def control_key(serial: str) -> str:
    """The control key printed on a certificate, to verify it by typing serial + key.

    Args:
        serial: the certificate serial (white space around it and case are ignored,
            Arabic-Indic digits read as ASCII).
    Returns:
        str of 8 characters of Crockford's base32 alphabet (40 bits of HMAC-SHA256 of the
        serial under the control secret): cannot be computed from the serial without the
        secret. Print it grouped with format_control_key().
    """
    mac = hmac.new(
        _control_secret(), b"control|" + _canonical_serial(serial).encode(), hashlib.sha256
    ).digest()
    number = int.from_bytes(mac[:5], "big")
    chars = []
    for _index in range(CONTROL_KEY_LENGTH):
        number, digit = divmod(number, 32)
        chars.append(CONTROL_KEY_ALPHABET[digit])
    return "".join(reversed(chars))


def format_control_key(key: str) -> str:
    """A control key grouped for reading: "7KQ2M9XD" → "7KQ2-M9XD"."""
    return f"{key[:4]}-{key[4:]}"


def normalise_control_key(typed: str) -> str:
    """A typed control key in canonical form: ASCII digits, upper case, without spaces,
    hyphens, dots or underscores, with O read as 0 and I/L as 1 (Crockford's decoding)."""
    cleaned = _CONTROL_KEY_DROP.sub("", ascii_digits(str(typed)).upper())
    return cleaned.translate(_CONTROL_KEY_READ)


def control_key_matches(serial: str, key: str) -> bool:
    """Whether `key`, as typed by a person, is the control key of `serial`.

    Case, spaces, hyphens and the look-alikes O/0 and I/L/1 do not matter; the comparison
    is constant-time (hmac.compare_digest). Returns bool, never raises on odd input.
    """
    typed = normalise_control_key(key)
    return hmac.compare_digest(typed.encode(), control_key(serial).encode())
