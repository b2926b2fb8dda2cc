# Included by petitions/urls.py, so the names below are namespaced "petitions:".
from django.urls import path

from petitions import import_views

urlpatterns = [
    path("mau-nhap-excel/", import_views.petition_import_template, name="import_template"),
    path("hoi-nghi/<int:conference_pk>/nhap-excel/", import_views.petition_import, name="import"),
    path(
        "hoi-nghi/<int:conference_pk>/nhap-excel/xac-nhan/",
        import_views.petition_import_confirm,
        name="import_confirm",
    ),
    path("hoi-nghi/<int:conference_pk>/xuat-excel/", import_views.petition_export, name="export"),
]
