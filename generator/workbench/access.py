"""Who may see and do what. Every view goes through these: a clerk reaches only their department."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from generator.workbench import audit, wording
from generator.workbench.models import ADMIN, CLERK, REVIEWER, Disclosure, Version


def role(user) -> str | None:
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return profile.role if profile is not None else None


def roles(*allowed: str) -> Callable:
    """Login required, and one of these roles (an admin may do what a reviewer may)."""
    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            current = role(request.user)
            if current is None:
                raise PermissionDenied(wording.NO_ROLE)  # an account made without a role: say so
            if current not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)
        return checked
    return decorate


ANYONE = (CLERK, REVIEWER, ADMIN)
BUREAU = (REVIEWER, ADMIN)


def disclosure_for(request: HttpRequest, pk: int) -> Disclosure:
    disclosure = get_object_or_404(Disclosure.objects.select_related("department"), pk=pk)
    if role(request.user) == CLERK and disclosure.department_id != request.user.profile.department_id:
        raise PermissionDenied
    return disclosure


def version_for(request: HttpRequest, pk: int) -> Version:
    version = get_object_or_404(Version.objects.select_related("disclosure__department"), pk=pk)
    disclosure_for(request, version.disclosure_id)
    return version


def note_download(request: HttpRequest, disclosure: Disclosure, what: str) -> None:
    """The bureau downloading a department's files goes into the audit log."""
    if role(request.user) != CLERK:
        audit.record(request, wording.DOWNLOAD, disclosure, what)


def form_of(page: Callable[..., str]) -> Callable:
    """A form's action (POST only). A GET of its address leads to the page the form is on, which
    `page(request, **url)` names after checking access: the login after a session ended sends the
    browser back to the address the form was sent to, and the form itself is lost."""
    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def checked(request: HttpRequest, **url) -> HttpResponse:
            if request.method in ("GET", "HEAD"):
                target = page(request, **url)
                messages.warning(request, wording.SEND_AGAIN)
                return redirect(target)
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            return view(request, **url)
        return checked
    return decorate


def page_of_disclosure(request: HttpRequest, pk: int) -> str:
    return reverse("disclosure", args=[disclosure_for(request, pk).pk])


def page_of_version(request: HttpRequest, pk: int) -> str:
    version = version_for(request, pk)
    return reverse("disclosure", args=[version.disclosure_id]) + f"?version={version.pk}"


def page_of_dashboard(request: HttpRequest, year: int) -> str:
    return reverse("dashboard", args=[year])
