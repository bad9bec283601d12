"""The login page: Django's own view and form, in Chinese; django-axes counts the failures."""

from __future__ import annotations

from django.contrib.auth import views as auth_views


class LoginView(auth_views.LoginView):
    template_name = "workbench/login.html"
    redirect_authenticated_user = True
