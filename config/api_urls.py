"""The JSON API under /api/v1/ (see the apps' api.py), its OpenAPI schema and its docs.

Included at /api/ by config/urls.py: /api/v1/..., /api/schema/, /api/docs/. The docs are the
split Swagger view, whose start-up script is a file (the CSP allows no inline code), with
Swagger UI's files from drf-spectacular-sidecar (SPECTACULAR_SETTINGS: no CDN). Both are for
signed-in users only (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]).
"""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from conclusions.api import AssignmentViewSet, NoticeViewSet
from dialogue.api import ConferenceViewSet
from petitions.api import CategoryViewSet, ConferencePetitionViewSet, PetitionViewSet, deadline_compute_view

router = DefaultRouter()
router.register("conferences", ConferenceViewSet, basename="conference")
router.register(
    r"conferences/(?P<conference_pk>\d+)/petitions", ConferencePetitionViewSet, basename="conference-petition"
)
router.register("petitions", PetitionViewSet, basename="petition")
router.register("categories", CategoryViewSet, basename="category")
router.register("notices", NoticeViewSet, basename="notice")
router.register("assignments", AssignmentViewSet, basename="assignment")


urlpatterns = [
    path("v1/auth/token/", obtain_auth_token, name="api-token"),
    path("v1/deadlines/compute/", deadline_compute_view, name="api-deadlines-compute"),
    path("v1/", include((router.urls, "api"), namespace="api")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # A person opening the docs unsigned is sent to the sign-in page (the schema answers 401).
    path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="api-docs"),
]
