from django.urls import include, path

from dangjian.training import views
from dangjian.training.registers import (
    AttendanceRegister,
    CourseRegister,
    MentorshipRegister,
    ResearchRegister,
    TrainingRegister,
)

urlpatterns = [
    path("sessions/", include(TrainingRegister.instance.urls())),
    path("sessions/<int:pk>/attend/", views.attend, name="training-attend"),
    path("sessions/<int:pk>/import/", views.import_attendance, name="training-import"),
    path("sessions/<int:pk>/signin/", views.signin_screen, name="training-signin"),
    path("sessions/<int:pk>/signin/qr/", views.signin_qr, name="training-signin-qr"),
    path("sessions/<int:pk>/signin/open/", views.signin_open, name="training-signin-open"),
    path("sessions/<int:pk>/signin/close/", views.signin_close, name="training-signin-close"),
    path("signin/", views.me_signin, name="training-me-signin"),
    path("sessions/<int:pk>/photos/", views.photo_add, name="training-photo-add"),
    path("sessions/<int:pk>/photos/delete/", views.photo_delete, name="training-photo-delete"),
    path("courses/", include(CourseRegister.instance.urls())),
    path("attendance/", include(AttendanceRegister.instance.urls())),
    path("mentoring/", include(MentorshipRegister.instance.urls())),
    path("research/", include(ResearchRegister.instance.urls())),
    path("hours/", views.hours, name="training-hours"),
    path("rotation/", views.rotation, name="training-rotation"),
]
