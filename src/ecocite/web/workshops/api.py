"""The workshops API: workshops (read; the video link per the rules) and one's registrations.

Public exports carry no personal data: counts of seats and of attendance by college only.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from ecocite.web.core.api_fields import SlugField
from ecocite.web.workshops import services
from ecocite.web.workshops.models import Registration, RegistrationStatus, Workshop


class WorkshopSerializer(serializers.ModelSerializer):
    """A workshop; ``video_url`` is empty unless the asker may see it."""

    process = SlugField(slug_field="slug", read_only=True)
    title = serializers.CharField(read_only=True)
    seats_taken = serializers.SerializerMethodField()
    video_url = serializers.SerializerMethodField()

    class Meta:
        model = Workshop
        fields = [
            "id", "process", "kind", "title", "title_fr", "title_zh", "title_en", "agenda",
            "address", "place", "starts_at", "ends_at", "time_zone", "capacity", "seats_taken",
            "registration_open", "video_url", "closed_at", "minutes_fr", "minutes_zh",
            "minutes_en", "attendance_by_college", "illustrative",
        ]  # fmt: skip

    def get_seats_taken(self, obj: Workshop) -> int:
        """Count the seats taken."""
        return services.seats_taken(obj)

    def get_video_url(self, obj: Workshop) -> str:
        """Give the video link to those allowed to see it, else an empty string."""
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return (
            obj.video_url
            if user is not None and user.has_perm("workshops.see_video_link", obj)
            else ""
        )


class WorkshopViewSet(viewsets.ReadOnlyModelViewSet):
    """Workshops of the consultation processes; filter with ``?process=<slug>``."""

    serializer_class = WorkshopSerializer
    queryset = Workshop.objects.select_related("process__city").order_by("starts_at", "pk")

    def get_queryset(self) -> QuerySet[Workshop]:
        """Filter by process."""
        rows = super().get_queryset()
        slug = self.request.query_params.get("process")
        return rows.filter(process__slug=slug) if slug else rows


class RegistrationSerializer(serializers.ModelSerializer):
    """One's own registration, with the door code."""

    workshop = serializers.PrimaryKeyRelatedField(queryset=Workshop.objects.all())
    status = serializers.CharField(read_only=True, help_text=", ".join(RegistrationStatus.values))
    code = serializers.CharField(read_only=True)

    class Meta:
        model = Registration
        fields = ["id", "workshop", "college", "status", "code", "attended_at", "created_at"]
        read_only_fields = ["attended_at", "created_at"]


class RegistrationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """One's own registrations; POST registers (or joins the waiting list)."""

    serializer_class = RegistrationSerializer
    queryset = Registration.objects.none()  # one's own, in get_queryset

    def get_queryset(self) -> QuerySet[Registration]:
        """Give the asker's registrations."""
        user = self.request.user
        if not user.is_authenticated:
            return Registration.objects.none()
        return Registration.objects.filter(user=user).order_by("pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Register for a workshop."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            registration = services.register(
                request.user, data["workshop"], data.get("college", "")
            )
        except DjangoPermissionDenied as err:
            if not request.user.is_authenticated:
                raise exceptions.NotAuthenticated() from err
            raise exceptions.PermissionDenied(str(err)) from err
        except DjangoValidationError as err:
            detail = err.message_dict if hasattr(err, "error_dict") else {"detail": err.messages}
            raise exceptions.ValidationError(detail) from err
        return Response(self.get_serializer(registration).data, status=status.HTTP_201_CREATED)
