"""The JSON API under /api/v1/ (see the apps' api.py), its OpenAPI schema and its docs.

Included at /api/ by config/urls.py: /api/v1/..., /api/schema/, /api/docs/. The docs are the
split Swagger view, whose start-up script is a file (the CSP allows no inline code), with
Swagger UI's files from drf-spectacular-sidecar (SPECTACULAR_SETTINGS: no CDN). Both are for
signed-in users only (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]).
"""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.utils.translation import get_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.response import Response
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


class SchemaView(SpectacularAPIView):
    """The schema describes the whole API (SERVE_PUBLIC: the same for every signed-in user)
    and changes only with the code: generated once per process, version and language
    rather than at every call (~400 ms each; the crawler and the fuzzers read it per role)."""

    generated: dict = {}

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (version, get_language(), self.serve_public)
        if key not in self.generated:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            self.generated[key] = generator.get_schema(request=request, public=self.serve_public)
        filename = self._get_filename(request, version)
        return Response(
            data=self.generated[key], headers={"Content-Disposition": f'inline; filename="{filename}"'}
        )


urlpatterns = [
    path("v1/auth/token/", obtain_auth_token, name="api-token"),
    path("v1/deadlines/compute/", deadline_compute_view, name="api-deadlines-compute"),
    path("v1/", include((router.urls, "api"), namespace="api")),
    path("schema/", SchemaView.as_view(), name="schema"),
    # A person opening the docs unsigned is sent to the sign-in page (the schema answers 401).
    path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="api-docs"),
]
