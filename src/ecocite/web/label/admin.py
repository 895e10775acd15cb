"""Django admin pages for label programmes: calendar, calls, jury and assessor pool.

The secretariat is a role scoped to the programme (``accounts.Role``, kind ``secretariat``).
"""

from django.contrib import admin

from ecocite.web.label.models import Call, Deadline, Member, Programme


class DeadlineInline(admin.TabularInline):
    """The programme's calendar: one deadline per stage."""

    model = Deadline
    extra = 0


class CallInline(admin.TabularInline):
    """The programme's calls for applications."""

    model = Call
    extra = 0


class MemberInline(admin.TabularInline):
    """The jury (members and chair) and the assessor pool (French and Chinese sides)."""

    model = Member
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    """A label programme with its calendar, calls, jury and assessors."""

    list_display = ["slug", "name_fr", "framework_key", "assessment_stage", "quorum"]
    inlines = [DeadlineInline, CallInline, MemberInline]
