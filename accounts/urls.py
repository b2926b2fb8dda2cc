from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import staff_views, views

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("don-vi/", views.orgunit_list, name="orgunit_list"),
    path("don-vi/<int:pk>/", views.orgunit_detail, name="orgunit_detail"),
    path("dia-ban/tim/", views.area_search, name="area_search"),
    path("nguoi-dung/", views.user_list, name="user_list"),
    path("nguoi-dung/nhap-excel/", staff_views.staff_import, name="staff_import"),
    path("nguoi-dung/nhap-excel/xac-nhan/", staff_views.staff_import_confirm, name="staff_import_confirm"),
    path("nguoi-dung/tep/<int:area_pk>/", staff_views.staff_workbook, name="staff_workbook"),
    path("viec-con-thieu/", staff_views.area_readiness, name="readiness"),
    path("dat-mat-khau/<uidb64>/<token>/", staff_views.PasswordSetView.as_view(), name="password_set"),
    path("dat-mat-khau/xong/", staff_views.PasswordSetDoneView.as_view(), name="password_set_done"),
    path("thong-bao/", views.notification_list, name="notifications"),
    path("thong-bao/da-doc/", views.notification_read, name="notifications_read"),
]
