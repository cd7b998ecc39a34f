"""The staff worklist page: a scoped queryset, its FilterSet, 50 rows a page, and the
listing written to the audit trail (which page, how many rows, which filters — never the
rows' contents)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record

PAGE_SIZE = 50


def audited_worklist(request, *, queryset, filter_class, target: str, template: str):
    """Render `template` with the filtered page of `queryset`.

    Args:
        queryset: the rows the actor may see (already scoped by a selector).
        filter_class: a FilterSet taking `actor` and offering `applied() -> dict`.
        target: the audit label of the rows ("<app>.<model>").
        template: rendered with {"filters", "page", "rows", "query"} (query: the GET
            parameters without `page`, URL-encoded, for the pagination links).
    Returns:
        HttpResponse. Invalid filters show no rows (and the form's errors).
    """
    filters = filter_class(request.GET or None, queryset=queryset, actor=request.user)
    valid = not filters.is_bound or filters.is_valid()
    shown = queryset if not filters.is_bound else (filters.qs if valid else queryset.none())
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    audit_event_record(
        actor=request.user,
        action=AuditAction.LIST,
        target=target,
        detail={
            "page": page.number,
            "shown": len(rows),
            "filters": filters.applied() if filters.is_bound and valid else {},
        },
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        template,
        {"filters": filters, "page": page, "rows": rows, "query": query.urlencode()},
    )
