from django.urls import path

from dangjian.stats import views

urlpatterns = [
    path("", views.home, name="home"),
    path("todo/", views.todo_list, name="todo-list"),
    path("todo/xlsx/", views.todo_xlsx, name="todo-xlsx"),
    path("stats/", views.dashboard, name="stats-dashboard"),
    path("stats/xlsx/", views.dashboard_xlsx, name="stats-dashboard-xlsx"),
    path("stats/tables/", views.standard_tables_page, name="stats-tables"),
    path("stats/tables/xlsx/", views.standard_tables_xlsx, name="stats-tables-xlsx"),
    path("stats/report/", views.report_page, name="stats-report"),
    path("stats/report/docx/", views.report_docx, name="stats-report-docx"),
]
