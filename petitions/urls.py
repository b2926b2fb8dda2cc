from django.urls import include, path

from petitions import views

app_name = "petitions"

urlpatterns = [
    path("", views.petition_list, name="list"),
    path("<int:pk>/", views.petition_detail, name="detail"),
    path("hoi-nghi/<int:conference_pk>/nhap/", views.petition_entry, name="entry"),
    # Excel template, import with preview, export (petitions/import_views.py).
    path("", include("petitions.import_urls")),
]
