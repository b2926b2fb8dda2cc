from django.urls import include, path

from petitions import intake_views, views

app_name = "petitions"

urlpatterns = [
    path("", views.petition_list, name="list"),
    path("<int:pk>/", views.petition_detail, name="detail"),
    path("hoi-nghi/<int:conference_pk>/nhap/", views.petition_entry, name="entry"),
    # Written petitions and citizen reception (petitions/intake_views.py).
    path("don/", intake_views.register, name="register"),
    path("don/moi/", intake_views.written_create, name="written_create"),
    path("kiem-tra-trung/", intake_views.duplicate_check, name="duplicate_check"),
    path("tinh-thoi-han/", intake_views.deadline_calculator, name="deadline_calculator"),
    path("<int:pk>/xu-ly/", intake_views.handle, name="handle"),
    path("<int:pk>/thu-ly/", intake_views.accept, name="accept"),
    path("<int:pk>/khong-thu-ly/", intake_views.decline, name="decline"),
    path("<int:pk>/chuyen/", intake_views.transfer, name="transfer"),
    path("<int:pk>/phieu-chuyen/", intake_views.transfer_slip, name="transfer_slip"),
    path(
        "<int:pk>/gia-han/<int:extension_pk>/quyet-dinh/",
        intake_views.extension_decision,
        name="extension_decision",
    ),
    path("<int:pk>/ket-qua/", intake_views.answer, name="answer"),
    path("<int:pk>/bien-nhan/", intake_views.receipt, name="receipt"),
    path("tep/<int:pk>/", intake_views.attachment_download, name="attachment"),
    path("tiep-cong-dan/", intake_views.reception_list, name="receptions"),
    path("tiep-cong-dan/moi/", intake_views.reception_create, name="reception_create"),
    path("tiep-cong-dan/<int:pk>/", intake_views.reception_detail, name="reception"),
    # Excel template, import with preview, export (petitions/import_views.py).
    path("", include("petitions.import_urls")),
]
