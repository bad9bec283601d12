"""Who may see and do what. Every view goes through these: a clerk reaches only their department."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

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
