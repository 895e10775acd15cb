from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from ecocite.web.accounts.models import Role, User


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0


@admin.register(User)
class EcociteUserAdmin(UserAdmin):
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("EcoCité", {"fields": ("preferred_language", "organisation")}),
    )
    inlines = [RoleInline]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "city", "side", "granted_at")
    list_filter = ("kind", "side")
