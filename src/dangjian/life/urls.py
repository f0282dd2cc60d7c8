from django.urls import include, path

from dangjian.life import views
from dangjian.life.registers import GroupMembershipRegister, MeetingRegister, SeriesRegister

urlpatterns = [
    path("meetings/", include(MeetingRegister.instance.urls())),
    path("meetings/<int:pk>/observer/", views.meeting_observer, name="meeting-observer"),
    path("meetings/<int:pk>/files/", views.meeting_file_add, name="meeting-file-add"),
    path("meetings/<int:pk>/files/delete/", views.meeting_file_delete, name="meeting-file-delete"),
    path("meetings/<int:pk>/close/", views.meeting_close, name="meeting-close"),
    path("meetings/<int:pk>/signin/", views.meeting_signin, name="meeting-signin"),
    path("meetings/<int:pk>/signin/qr/", views.meeting_signin_qr, name="meeting-signin-qr"),
    path("meetings/<int:pk>/review/", views.meeting_review, name="meeting-review"),
    path("attendance/<int:pk>/mark/", views.attendance_mark, name="attendance-mark"),
    path("groups/", include(GroupMembershipRegister.instance.urls())),
    path("compliance/", views.compliance, name="life-compliance"),
    path("compliance/<int:pk>/", views.compliance_cell, name="life-compliance-cell"),
    path("series/", include(SeriesRegister.instance.urls("list", "detail", "delete"))),
    path("series/add/", views.series_create, name="series-create"),
    path("frequencies/", views.frequencies, name="frequency-list"),
]
