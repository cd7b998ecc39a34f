"""Residence-permit and visa endpoints: staff worklists, applications and decisions
(unit-scoped, reads audited), and the public visa application."""

import uuid

from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate
from ninja.throttling import AnonRateThrottle

from amn.api.pagination import BoundedPageNumberPagination
from amn.api.security import staff_auth
from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.permits import services
from amn.permits.choices import Decision
from amn.permits.filters import ResidenceApplicationFilter, VisaApplicationFilter
from amn.permits.permissions import may_decide, may_read_permits
from amn.permits.rules import InvalidInput
from amn.permits.schemas import (
    ResidenceDecisionIn,
    ResidenceFilterParams,
    ResidenceOut,
    ResidenceSummaryOut,
    SubmittedOut,
    VisaApplicationIn,
    VisaApplicationOut,
    VisaDecisionIn,
    VisaFilterParams,
    VisaSummaryOut,
)
from amn.permits.selectors import (
    access_residence_application,
    access_visa_application,
    residence_application_list,
    visa_application_list,
)

router = Router(tags=["residence permits and visas"], auth=staff_auth)


def _reader(request):
    """The acting user, or 403 when their role does not read permits."""
    if not may_read_permits(request.auth):
        raise HttpError(403, _("Your role does not give access to residence permits and visas."))
    return request.auth


def _decider(actor, application) -> None:
    """403 when `actor` may not decide at the application's handling unit."""
    if not may_decide(actor, application.handling_unit):
        raise HttpError(403, _("Your role does not decide residence permits and visas."))


def _invalid(error: InvalidInput, where: str) -> ValidationError:
    return ValidationError(
        [
            {"loc": [where, *([] if name == "__all__" else [name])], "msg": message}
            for name, messages in error.errors.items()
            for message in messages
        ]
    )


def _filtered(request, filter_class, queryset, params, target: str):
    actor = request.auth
    data = params.as_filter_data()
    filterset = filter_class(data, queryset=queryset, actor=actor)
    if not filterset.is_valid():
        raise ValidationError(
            [
                {"loc": ["query", name], "msg": " ".join(messages)}
                for name, messages in filterset.errors.items()
            ]
        )
    audit_event_record(
        actor=actor, action=AuditAction.LIST, target=target, detail={"filters": data}
    )
    return filterset.qs


@router.get("/residence", response=list[ResidenceSummaryOut])
@paginate(BoundedPageNumberPagination, page_size=50, max_page_size=200)
def residence_list_endpoint(request, filters: Query[ResidenceFilterParams]):
    """Residence-permit applications of your units, newest first, filtered and paged
    ({"items": […], "count": N}); 422 for a filter value not allowed (e.g. a unit outside
    your scope)."""
    actor = _reader(request)
    return _filtered(
        request,
        ResidenceApplicationFilter,
        residence_application_list(actor=actor),
        filters,
        "permits.residenceapplication",
    )


@router.get("/residence/{application_id}", response=ResidenceOut)
def residence_get(request, application_id: uuid.UUID):
    """One residence-permit application; 404 when absent or outside your units (audited)."""
    return access_residence_application(actor=_reader(request), application_id=application_id)


@router.post("/residence/{application_id}/decision", response=ResidenceOut)
def residence_decide(request, application_id: uuid.UUID, decision: ResidenceDecisionIn):
    """Approve or refuse an application (see amn.permits.services.residence_application_decide):
    403 when your role may not decide, 409 when already decided or documents are missing,
    422 for a refusal without a valid reason."""
    actor = _reader(request)
    application = access_residence_application(actor=actor, application_id=application_id)
    _decider(actor, application)
    try:
        services.residence_application_decide(
            actor=actor,
            application=application,
            approve=decision.decision == Decision.APPROVE,
            refusal_reason=decision.refusal_reason,
            note=decision.note,
        )
    except InvalidInput as error:
        raise _invalid(error, "body") from None
    return access_residence_application(actor=actor, application_id=application_id)


@router.get("/visas", response=list[VisaSummaryOut])
@paginate(BoundedPageNumberPagination, page_size=50, max_page_size=200)
def visa_list_endpoint(request, filters: Query[VisaFilterParams]):
    """Visa applications of your units, newest first, filtered and paged."""
    actor = _reader(request)
    return _filtered(
        request,
        VisaApplicationFilter,
        visa_application_list(actor=actor),
        filters,
        "permits.visaapplication",
    )


@router.get("/visas/{application_id}", response=VisaApplicationOut)
def visa_get(request, application_id: uuid.UUID):
    """One visa application; 404 when absent or outside your units (audited)."""
    return access_visa_application(actor=_reader(request), application_id=application_id)


@router.post("/visas/{application_id}/decision", response=VisaApplicationOut)
def visa_decide(request, application_id: uuid.UUID, decision: VisaDecisionIn):
    """Issue the visa (validity, entries, longest stay) or refuse it (reason, note): 403
    when your role may not decide, 409 when already decided, 422 by field."""
    actor = _reader(request)
    application = access_visa_application(actor=actor, application_id=application_id)
    _decider(actor, application)
    try:
        if decision.decision == Decision.APPROVE:
            services.visa_application_approve(
                actor=actor,
                application=application,
                valid_from=decision.valid_from,
                valid_until=decision.valid_until,
                entries=decision.entries,
                max_stay_days=decision.max_stay_days,
                note=decision.note,
            )
        else:
            services.visa_application_refuse(
                actor=actor,
                application=application,
                refusal_reason=decision.refusal_reason,
                note=decision.note,
            )
    except InvalidInput as error:
        raise _invalid(error, "body") from None
    return access_visa_application(actor=actor, application_id=application_id)


PUBLIC_SUBMISSIONS_PER_HOUR = 20  # per client IP, for the anonymous endpoint below


@router.post(
    "/visa-applications",
    response={201: SubmittedOut, 200: SubmittedOut},
    auth=None,
    throttle=[AnonRateThrottle(f"{PUBLIC_SUBMISSIONS_PER_HOUR}/h")],
)
def visa_apply(request, application: VisaApplicationIn):
    """Apply for a visa (no sign-in). 201 with the new reference; 200 with the reference
    of the same application already in progress (`existing` true); 422 with the refused
    fields ("loc": ["body", field]); 429 beyond 20 submissions an hour from one client."""
    try:
        recorded, created = services.visa_application_submit(
            actor=request.user, data=services.VisaApplicationInput(**application.model_dump())
        )
    except InvalidInput as error:
        raise _invalid(error, "body") from None
    return Status(
        201 if created else 200,
        {"reference": recorded.reference, "status": recorded.status, "existing": not created},
    )
