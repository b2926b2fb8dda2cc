from django.urls import path

from registers import views

app_name = "registers"

urlpatterns = [
    path("", views.register_list, name="list"),
    path("ghi-so/", views.outside_number_create, name="outside_create"),
]
