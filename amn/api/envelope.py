"""The API object's own rules, beside the error envelope handlers of amn/api/urls.py.

`AmnAPI` is a NinjaAPI that:

- documents, on every operation of the OpenAPI document, the error answers the API may give
  it in the envelope {"error": {"code", "message", "fields"?}} (401/403 for staff
  operations, 404 for operations on one record, 422 for parameters and bodies, 400/413/415
  for bodies, 409 for writes a business rule refuses, 429 for rate limits) — an operation's
  own declaration of a status wins. Clients and the fuzzer (tests/contract/test_api_fuzz.py)
  then know every status they can meet;
- refuses a request body that is not JSON (415, before the body is parsed) and a body over
  DATA_UPLOAD_MAX_MEMORY_SIZE (413), in the envelope, rather than Django's HTML 400.
"""

from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError

ENVELOPE_SCHEMA_NAME = "ErrorEnvelope"
ENVELOPE_SCHEMA = {
    "title": ENVELOPE_SCHEMA_NAME,
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "description": "Per-field problems: a list of {loc, msg, type} for "
                    "malformed parameters or bodies, or {field: message} for refused values.",
                    "anyOf": [{"type": "array"}, {"type": "object"}],
                },
            },
        }
    },
}
ERROR_DESCRIPTIONS = {
    400: "Malformed or unusable request body or parameter",
    401: "No staff session, second factor missing, or session ended",
    403: "Role not allowed, or CSRF check failed",
    404: "No such record, or not in the caller's scope",
    409: "Refused by a business rule",
    413: "Request body too large",
    415: "Request body is not JSON",
    422: "Invalid parameters or body",
    429: "Too many requests (Retry-After)",
}
UNSAFE_METHODS = frozenset({"post", "put", "patch", "delete"})
JSON_MEDIA_TYPE = "application/json"


def error_statuses(method: str, operation: dict) -> set[int]:
    """The error statuses the API can answer to the OpenAPI `operation` (a dict) called
    with HTTP `method` (lower case), whatever the endpoint's own code does."""
    statuses = {429}
    if operation.get("parameters") or "requestBody" in operation:
        # 400/422 for values refused, 404 when one names a record that does not exist (or
        # that the caller may not see).
        statuses |= {400, 404, 422}
    if "requestBody" in operation:
        statuses |= {413, 415}
    if operation.get("security"):
        statuses |= {401, 403}
    if method in UNSAFE_METHODS:
        statuses.add(409)
    return statuses


def document_errors(schema: dict) -> dict:
    """Add the envelope's error answers (error_statuses) to every operation of the OpenAPI
    `schema` that does not declare them itself; returns `schema`, changed in place."""
    schema.setdefault("components", {}).setdefault("schemas", {})[ENVELOPE_SCHEMA_NAME] = (
        ENVELOPE_SCHEMA
    )
    reference = {"$ref": f"#/components/schemas/{ENVELOPE_SCHEMA_NAME}"}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            declared = {int(status) for status in responses}
            for status in sorted(error_statuses(method, operation) - declared):
                responses[status] = {
                    "description": ERROR_DESCRIPTIONS[status],
                    "content": {JSON_MEDIA_TYPE: {"schema": reference}},
                }
    return schema


class AmnAPI(NinjaAPI):
    """NinjaAPI with the error answers documented and non-JSON or oversized bodies refused
    (module docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_exception_handler(RequestDataTooBig, self._too_large)

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The OpenAPI document (dict) with every operation's error answers (document_errors)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_errors(schema)

    def create_temporal_response(self, request):
        """Ninja's first step of every operation (after authentication), before the body is
        read: a body sent with a content type other than JSON is refused with 415 (every
        operation of this API takes JSON; one taking uploaded files would need an exemption
        here). Reading an oversized body raises RequestDataTooBig, answered 413."""
        if request.method.lower() in UNSAFE_METHODS and request.body:
            media_type = (request.content_type or "").split(";")[0].strip().lower()
            if media_type != JSON_MEDIA_TYPE:
                raise HttpError(415, _("Send the request body as JSON (application/json)."))
        return super().create_temporal_response(request)

    def _too_large(self, request, exc):
        return self.create_response(
            request,
            {
                "error": {
                    "code": "too_large",
                    "message": _("The request body is too large."),
                }
            },
            status=413,
        )
