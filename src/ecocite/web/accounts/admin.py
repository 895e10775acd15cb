"""Django admin pages for users and their roles."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from ecocite.web.accounts.models import Role, User


class RoleInline(admin.TabularInline):
    """A user's roles, edited on the user's admin page."""

    model = Role
    extra = 0


@admin.register(User)
class EcociteUserAdmin(UserAdmin):
    """The user admin page with the EcoCité fields (organisation, preferred language)."""

    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("EcoCité", {"fields": ("preferred_language", "organisation")}),
    )
    inlines = [RoleInline]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    """The admin list of roles, by kind and side."""

    list_display = ("user", "kind", "city", "side", "granted_at")
    list_filter = ("kind", "side")
