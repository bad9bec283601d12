"""The admin's management of departments, users, due dates (Django's admin, in Chinese)."""

from django.contrib import admin, messages

from generator.workbench import accounts, wording
from generator.workbench.models import AuditEntry, BudgetYear, Department, Disclosure, Profile


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent")
    search_fields = ("code", "name")


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "department", "failed_logins")
    list_filter = ("role",)
    actions = ("unlock",)

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


@admin.register(BudgetYear)
class BudgetYearAdmin(admin.ModelAdmin):
    list_display = ("year", "due_date")


@admin.register(Disclosure)
class DisclosureAdmin(admin.ModelAdmin):
    list_display = ("department", "year", "status", "due_date")
    list_filter = ("year", "status")
    fields = ("due_date",)  # status and versions change only through the workbench's own pages


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
