"""The admin's management of departments, users, due dates (Django's admin, in Chinese).

Every addition, change and deletion made here also goes into the workbench's own audit log
(操作日志), as 后台新增 / 后台修改 / 后台删除 with what was changed: a role, a department, a due date or
a password changed by the admin is on the same page as the uploads and approvals.
"""

import json
from typing import ClassVar

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group

from generator.workbench import accounts, audit, wording
from generator.workbench.models import ADMIN, CLERK, AuditEntry, BudgetYear, Department, Disclosure, Profile


def _said(message) -> str:
    """Django's change message (a JSON list, or text) as the admin's own pages say it."""
    from django.contrib.admin.models import LogEntry

    return LogEntry(change_message=json.dumps(message) if isinstance(message, list) else message).get_change_message()


class AuditedAdmin(admin.ModelAdmin):
    """What the admin adds, changes and deletes goes into the audit log."""

    def _record(self, request, action: str, obj, message: str = "") -> None:
        detail = f"{obj._meta.verbose_name} {obj}：{message}".rstrip("：")
        if self.describe(obj):
            detail += f"（{self.describe(obj)}）"
        audit.record(request, action, obj if isinstance(obj, Disclosure) else None, detail)

    def describe(self, obj) -> str:
        """What the record adds about `obj` after a change (the new values, where the message names only the fields)."""
        return ""

    def log_addition(self, request, obj, message):
        self._record(request, wording.ADMIN_ADDED, obj, _said(message))
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._record(request, wording.ADMIN_CHANGED, obj, _said(message))
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._record(request, wording.ADMIN_DELETED, obj)
        return super().log_deletions(request, queryset)


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "parent")
    search_fields = ("code", "name")


def _role_of(profile: Profile) -> str:
    return wording.ROLE_OF.format(role=profile.role, department=profile.department or wording.NO_DEPARTMENT)


def _staff(user, role: str | None) -> None:
    """Django's admin checks is_staff, the workbench's pages the role: a 管理员 is both, nobody else is."""
    admin_role = role == ADMIN
    if (user.is_staff, user.is_superuser) != (admin_role, admin_role):
        user.is_staff = user.is_superuser = admin_role
        user.save(update_fields=["is_staff", "is_superuser"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ("user", "role", "department")
        labels: ClassVar[dict[str, str]] = {"user": "用户"}

    def clean(self):
        data = super().clean()
        if data.get("role") == CLERK and not data.get("department"):
            self.add_error("department", wording.CLERK_NEEDS_DEPARTMENT)
        return data


@admin.register(Profile)
class ProfileAdmin(AuditedAdmin):
    form = ProfileForm
    list_display = ("user", "role", "department", "failed_logins")
    list_filter = ("role",)
    actions = ("unlock",)

    def describe(self, obj) -> str:
        return _role_of(obj)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        _staff(obj.user, obj.role)

    @admin.display(description="登录失败次数")
    def failed_logins(self, profile: Profile) -> int:
        from axes.models import AccessAttempt

        return sum(AccessAttempt.objects.filter(username=profile.user.get_username())
                   .values_list("failures_since_start", flat=True))

    @admin.action(description=wording.UNLOCK_ACTION)
    def unlock(self, request, queryset) -> None:
        """django-axes's lock of each selected user ends now, each unlock in the audit log."""
        removed = [accounts.unlock(p.user.get_username(), request) for p in queryset.select_related("user")]
        self.message_user(request, wording.UNLOCK_DONE.format(users=sum(n > 0 for n in removed),
                                                              failures=sum(removed)), messages.SUCCESS)


class ProfileInline(admin.StackedInline):
    """The role and department, in the user's own form: no account without a role."""

    model = Profile
    form = ProfileForm
    fields = ("role", "department")
    can_delete = False
    min_num = max_num = 1
    extra = 0
    verbose_name = verbose_name_plural = "角色与所属部门"


admin.site.unregister(get_user_model())
admin.site.unregister(Group)  # the workbench's roles are its own (填报人, 审核人, 管理员)


@admin.register(get_user_model())
class WorkbenchUserAdmin(AuditedAdmin, UserAdmin):
    inlines = (ProfileInline,)
    list_display = ("username", "role", "department", "is_active", "last_login")
    list_filter = ("is_active", "profile__role")
    fieldsets = ((None, {"fields": ("username", "password")}),
                 ("状态", {"fields": ("is_active", "last_login", "date_joined")}))
    readonly_fields = ("last_login", "date_joined")

    @admin.display(description="角色")
    def role(self, user) -> str:
        return getattr(getattr(user, "profile", None), "role", "") or wording.NO_ROLE_SHORT

    @admin.display(description="所属部门")
    def department(self, user) -> str:
        profile = getattr(user, "profile", None)
        return str(profile.department) if profile is not None and profile.department else ""

    def describe(self, obj) -> str:
        profile = Profile.objects.filter(user=obj).select_related("department").first()
        return _role_of(profile) if profile is not None else ""

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        profile = Profile.objects.filter(user=form.instance).first()
        _staff(form.instance, profile.role if profile is not None else None)


@admin.register(BudgetYear)
class BudgetYearAdmin(AuditedAdmin):
    list_display = ("year", "due_date")


@admin.register(Disclosure)
class DisclosureAdmin(AuditedAdmin):
    list_display = ("department", "year", "status", "due_date")
    list_filter = ("year", "status")
    search_fields = ("department__code", "department__name")
    fields = ("due_date",)  # status and versions change only through the workbench's own pages

    def describe(self, obj) -> str:
        return wording.DUE_OF.format(due=obj.due_date or wording.DUE_OF_YEAR)

    def has_add_permission(self, request) -> bool:
        return False  # the ledger makes one per department and budget year


@admin.register(AuditEntry)
class AuditAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "action", "disclosure", "detail", "address")
    list_filter = ("action",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
