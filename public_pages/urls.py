"""Pages for the public (no login), mounted at /cong-khai/ with the namespace "public"."""

from django.urls import path

from public_pages import documents as document_views
from public_pages import views as public_views

app_name = "public"

urlpatterns = [
    path("", public_views.index, name="index"),
    path("tra-cuu/", public_views.track, name="track"),
    path("tra-cuu/danh-gia/", public_views.verdict, name="verdict"),
    path("tra-cuu/tep/<int:pk>/", public_views.answer_file, name="answer_file"),
    path("dia-ban/<int:pk>/", public_views.area, name="area"),
    path("hoi-nghi/<int:pk>/", public_views.conference_opinions, name="conference"),
    path("thong-bao/<int:pk>/pdf/", public_views.notice_pdf, name="notice_pdf"),
    # An issued document by the short code printed beside its QR code (issue 18).
    path("van-ban/<str:code>/", document_views.document, name="document"),
    path("ngung-nhan-tin/<str:code>/<str:token>/", public_views.opt_out, name="opt_out"),
]
