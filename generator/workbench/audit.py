"""The audit log: every action, with who, when, from where."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.http import HttpRequest

from generator.workbench import wording
from generator.workbench.models import AuditEntry, Disclosure


def record(request: HttpRequest | None, action: str, disclosure: Disclosure | None = None, detail: str = "",
           username: str | None = None) -> None:
    user = getattr(request, "user", None)
    if username is None:
        username = user.get_username() if user is not None and user.is_authenticated else ""
    address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    AuditEntry.objects.create(username=username, action=action, disclosure=disclosure, detail=detail[:2000],
                              address=address)


def _logged_in(sender, request, user, **kwargs) -> None:
    record(request, wording.LOGIN, username=user.get_username())


def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    record(request, wording.LOGIN_FAILED, username=str(credentials.get("username", ""))[:150])


def connect_signals() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="workbench-login")
    user_login_failed.connect(_login_failed, dispatch_uid="workbench-login-failed")
