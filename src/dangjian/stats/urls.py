from django.urls import path

from dangjian.stats import views

urlpatterns = [
    path("", views.home, name="home"),
]
