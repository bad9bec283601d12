"""Every route of the workbench (tests/workbench/test_routes.py walks them all with every role)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from generator.workbench import bureau, views
from generator.workbench.login import LoginView

admin.site.site_header = admin.site.site_title = "预算公开工作台 · 管理"
admin.site.index_title = "部门、用户与截止日期"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("d/<int:pk>/", views.disclosure_page, name="disclosure"),
    path("d/<int:pk>/upload", views.upload, name="upload"),
    path("d/<int:pk>/edit", views.edit, name="edit"),
    path("d/<int:pk>/submit", views.submit, name="submit"),
    path("d/<int:pk>/review", views.review, name="review"),
    path("d/<int:pk>/publish", views.publish, name="publish"),
    path("d/<int:pk>/blank.xlsx", views.blank, name="blank"),
    path("d/<int:pk>/next-year.xlsx", views.next_year, name="next_year"),
    path("v/<int:pk>/file", views.version_file, name="version_file"),
    path("v/<int:pk>/render", views.version_render, name="version_render"),
    path("v/<int:pk>/diff", views.version_diff, name="version_diff"),
    path("v/<int:pk>/out/<str:fmt>", views.version_output, name="version_output"),
    path("jobs/<int:pk>", views.job_status, name="job_status"),
    path("jobs/<int:pk>/zip", bureau.batch_download, name="batch_download"),
    path("dashboard/<int:year>/", bureau.dashboard, name="dashboard"),
    path("dashboard/<int:year>.xlsx", bureau.dashboard_xlsx, name="dashboard_xlsx"),
    path("dashboard/<int:year>/batch", bureau.batch, name="batch"),
    path("audit/", bureau.audit_log, name="audit"),
    path("admin/", admin.site.urls),
]
