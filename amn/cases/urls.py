from django.urls import path

from amn.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list_page, name="list"),
    path("inbox/", views.inbox_page, name="inbox"),
    path("new/", views.case_create_page, name="create"),
    path("<uuid:case_id>/", views.case_page, name="detail"),
    path("<uuid:case_id>/edit/", views.case_edit_page, name="edit"),
    path("seizures/", views.seizure_list_page, name="seizures"),
    path("seizures/new/", views.seizure_create_page, name="seizure-create"),
    path(
        "seizures/<int:seizure_id>/custody/",
        views.seizure_custody_page,
        name="seizure-custody",
    ),
    path("networks/", views.network_list_page, name="networks"),
    path("networks/new/", views.network_create_page, name="network-create"),
]
