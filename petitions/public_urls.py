"""Pages for the public (no login): filled by the public tracking work."""

from django.urls import path  # noqa: F401

app_name = "public"

urlpatterns: list = []
