from django.urls import path

from dangjian.life import me

urlpatterns = [
    path("meetings/", me.meetings, name="me-meetings"),
    path("meetings/signin/", me.signin, name="me-meeting-signin"),
]
