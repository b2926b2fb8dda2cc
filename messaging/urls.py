from django.urls import path

from messaging import views

app_name = "messaging"

urlpatterns = [
    path("<int:pk>/gui-lai/", views.message_retry, name="retry"),
]
