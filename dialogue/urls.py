from django.urls import path

from dialogue import views

app_name = "dialogue"

urlpatterns = [
    path("", views.conference_list, name="list"),
    path("them/", views.conference_create, name="create"),
    path("<int:pk>/", views.conference_detail, name="detail"),
    path("<int:pk>/sua/", views.conference_edit, name="edit"),
    path("<int:pk>/to-chuc/", views.conference_hold, name="hold"),
    path("<int:pk>/huy/", views.conference_cancel, name="cancel"),
    path("<int:pk>/thong-bao/", views.conference_notice, name="notice"),
    path("<int:pk>/dinh-kem/", views.attachment_upload, name="attachment_upload"),
    path("dinh-kem/<int:pk>/", views.attachment_download, name="attachment_download"),
]
