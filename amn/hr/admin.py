"""Admin of the personnel registry: every model, searchable and filterable; the generated
years read-only (written by amn.hr.generation only)."""

from django.contrib import admin

from amn.hr.models import (
    HrGeneration,
    Promotion,
    RecruitmentCompetition,
    StaffMember,
    TrainingCompletion,
    TrainingCourse,
)


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    """Staff members by staff number; filtered by corps, grade, sex."""

    list_display = ("staff_number", "family_name", "given_name", "corps", "grade", "unit")
    list_filter = ("corps", "grade", "sex")
    search_fields = ("staff_number", "family_name", "given_name", "family_name_ar")
    raw_id_fields = ("unit",)
    date_hierarchy = "hired_on"


@admin.register(RecruitmentCompetition)
class RecruitmentCompetitionAdmin(admin.ModelAdmin):
    """Recruitment competitions, newest first."""

    list_display = ("title", "corps", "grade", "announced_on", "posts_offered", "candidates")
    list_filter = ("corps", "grade")
    search_fields = ("title",)
    raw_id_fields = ("unit",)
    date_hierarchy = "announced_on"


@admin.register(Promotion)
class PromotionAdmin(admin.ModelAdmin):
    """Promotions, newest first."""

    list_display = ("staff", "from_grade", "to_grade", "promoted_on", "unit")
    list_filter = ("corps", "to_grade")
    search_fields = ("staff__staff_number",)
    raw_id_fields = ("staff", "unit")
    date_hierarchy = "promoted_on"


@admin.register(TrainingCourse)
class TrainingCourseAdmin(admin.ModelAdmin):
    """Training courses by kind."""

    list_display = ("title", "kind", "hours")
    list_filter = ("kind",)
    search_fields = ("title",)


@admin.register(TrainingCompletion)
class TrainingCompletionAdmin(admin.ModelAdmin):
    """Training completions, newest first."""

    list_display = ("staff", "course", "completed_on", "unit")
    list_filter = ("course__kind",)
    search_fields = ("staff__staff_number",)
    raw_id_fields = ("staff", "course", "unit")
    date_hierarchy = "completed_on"


@admin.register(HrGeneration)
class HrGenerationAdmin(admin.ModelAdmin):
    """Generated HR years (read-only)."""

    list_display = ("year", "seed", "staff", "recruits", "posts_offered", "trained", "promoted")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
