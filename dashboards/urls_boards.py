from django.urls import path

from dashboards import answer_views, index_views, views

urlpatterns = [
    path("", index_views.monitoring_index, name="monitoring_index"),
    path("qua-han/", views.overdue_review, name="overdue"),
    path("qua-han/nhac/<int:agency_pk>/", views.remind_now, name="remind"),
    path("giam-sat/", views.supervision, name="supervision"),
    path("giam-sat/tra-loi/", answer_views.answers_board, name="answers_board"),
    path("giam-sat/tra-loi/danh-sach/", answer_views.answer_list, name="answers"),
    path("giam-sat/tom-tat/", views.home_supervision, name="home_supervision"),
    path("hoi-nghi/<int:pk>/giam-sat/", views.conference_remark, name="conference_remark"),
    path("viec/<int:pk>/giam-sat/", views.assignment_remarks, name="assignment_remarks"),
    path("giam-sat/y-kien/<int:pk>/tra-loi/", views.remark_answer, name="remark_answer"),
]
