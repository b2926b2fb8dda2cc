"""The reports and exports under /theo-doi/ (namespace `dashboards`, joined in dashboards/urls.py)."""

from django.urls import path

from dashboards import index_views
from dashboards import report_views as views

urlpatterns = [
    path("bao-cao/", index_views.reports_index, name="reports_index"),
    path("bao-cao/thong-ke/", views.statistics, name="statistics"),
    path("bao-cao/thong-ke/excel/", views.statistics_xlsx, name="statistics_xlsx"),
    path("bao-cao/thong-ke/pdf/", views.statistics_pdf_view, name="statistics_pdf"),
    path("bao-cao/dinh-ky/", views.periodic, name="periodic_report"),
    path("bao-cao/da-ban-hanh/<int:pk>/", views.issued_report, name="issued_report"),
    path("bao-cao/da-ban-hanh/<int:pk>/pdf/", views.issued_report_pdf, name="issued_report_pdf"),
    path("xuat-file/", views.export_list, name="exports"),
    path("xuat-file/thong-ke/", views.statistics_export, name="export_statistics"),
    path("xuat-file/y-kien/", views.petitions_export, name="export_petitions"),
    path("xuat-file/viec/", views.assignments_export, name="export_assignments"),
    path("xuat-file/<int:pk>/", views.export_detail, name="export"),
    path("xuat-file/<int:pk>/tien-do/", views.export_progress, name="export_progress"),
    path("xuat-file/<int:pk>/tai-ve/", views.export_download, name="export_download"),
]
