from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "generator.workbench"
    label = "workbench"
    verbose_name = "预算公开工作台"

    def ready(self) -> None:
        from generator.workbench import audit

        audit.connect_signals()
