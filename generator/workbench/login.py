"""The login page (Django's own view and form, in Chinese; django-axes counts the failures) and the CSRF refusal."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LoginView(auth_views.LoginView):
    template_name = "workbench/login.html"
    redirect_authenticated_user = True


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF refusal, in Chinese: most often a form left open past the session."""
    return render(request, "workbench/csrf.html", status=403)
