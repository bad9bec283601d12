"""The admin's management of departments, users, due dates (Django's admin, in Chinese)."""

from django.contrib import admin

from generator.workbench.models import AuditEntry, BudgetYear, Department, Disclosure, Profile


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent")
    search_fields = ("code", "name")


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "department")
    list_filter = ("role",)


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
