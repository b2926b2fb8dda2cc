from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext_lazy as _lazy


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the user chose another language (the language cookie set by the
    switcher in the footer). Unlike Django's LocaleMiddleware it ignores the browser's
    Accept-Language: office computers often have English Windows, and the product speaks
    Vietnamese first."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


# A NUL byte cannot be stored or compared by PostgreSQL ("A string literal cannot contain NUL
# (0x00) characters"): every text that reaches a query would turn into a server error.
NUL_IN_INPUT = _lazy("Dữ liệu gửi lên có ký tự không hợp lệ (NUL). Hãy nhập lại nội dung.")


def _has_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    sources = [request.GET]
    if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
        sources.append(request.POST)
    return any(
        "\x00" in key or any("\x00" in value for value in data.getlist(key))
        for data in sources
        for key in data
    )


class RejectNulInputMiddleware:
    """A NUL byte in the path, the query string or a form answers 400 with a clear message,
    before any view can pass it to the database. (Forms' CharFields refuse it already, but
    a raw `request.GET.get("q")`, a path converter or a paginator's page do not.) JSON
    bodies are refused by DRF's CharField the same way."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            return bad_request(request, NUL_IN_INPUT)
        return self.get_response(request)


def bad_request(request, message) -> HttpResponse:
    """400 with the message: JSON for the API, the site's page otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(message)}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


class NoStoreForSignedInMiddleware:
    """Office PCs are shared and signed-in pages show identities: no page, PDF, export or API
    answer of a signed-in user may be kept by the browser or a proxy (Cache-Control: no-store,
    private). The API answers nobody anonymous but the 401, which is not cached either."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # DRF sets it here too after token authentication
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.path.startswith(("/api/", "/quan-tri/")):
            add_never_cache_headers(response)
        return response
