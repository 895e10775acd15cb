"""Django admin page of the cities."""

from django.contrib import admin

from ecocite.web.cities.models import City


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    """The admin list of cities."""

    list_display = ("slug", "name_en", "name_zh", "country", "latest_level", "latest_year")
    search_fields = ("slug", "name_en", "name_zh", "name_fr")
