from django.urls import path

from conclusions import views

app_name = "conclusions"

urlpatterns = [
    path("thong-bao/", views.notice_list, name="notices"),
    path("hoi-nghi/<int:conference_pk>/du-thao/", views.notice_create, name="notice_create"),
    path("thong-bao/<int:pk>/", views.notice_detail, name="notice"),
    path("thong-bao/<int:pk>/sua/", views.notice_edit, name="notice_edit"),
    path("thong-bao/<int:pk>/xem-truoc/", views.notice_preview, name="notice_preview"),
    path("thong-bao/<int:pk>/pdf/", views.notice_pdf, name="notice_pdf"),
    path("thong-bao/<int:pk>/ban-hanh/", views.notice_issue, name="notice_issue"),
    path("thong-bao/<int:pk>/dinh-chinh/", views.notice_amend, name="notice_amend"),
    path("thong-bao/<int:notice_pk>/giao-viec/", views.assignment_add, name="assignment_add"),
    path("viec/", views.assignment_list, name="assignments"),
    path("viec/<int:pk>/", views.assignment_detail, name="assignment"),
    path("viec/<int:pk>/bo/", views.assignment_remove, name="assignment_remove"),
    path("viec/<int:pk>/tien-do/", views.assignment_progress, name="assignment_progress"),
    path("viec/<int:pk>/bao-cao/", views.assignment_report, name="assignment_report"),
    path("viec/<int:pk>/nghiem-thu/", views.assignment_accept, name="assignment_accept"),
    path("viec/<int:pk>/tra-lai/", views.assignment_return, name="assignment_return"),
    path("viec/<int:pk>/gia-han/", views.extension_request, name="extension_request"),
    path("viec/<int:pk>/gia-han/quyet-dinh/", views.extension_decide, name="extension_decide"),
    path("tra-loi/tep/<int:pk>/", views.answer_file_download, name="answer_file"),
    path("tra-loi/tep/<int:pk>/khong-cong-khai/", views.answer_file_withhold, name="answer_file_withhold"),
    path("mo-lai/<int:pk>/", views.reopening_review, name="reopening"),
    path("tien-do/<int:pk>/tep/", views.evidence_download, name="evidence"),
    path("don/<int:petition_pk>/giao-viec/", views.petition_assign, name="petition_assign"),
    path("don/<int:petition_pk>/gia-han/", views.petition_extend, name="petition_extend"),
]
