"""The workbench's data: departments, disclosures, immutable versions and what happened to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from generator.checks.findings import blocks

CLERK, REVIEWER, ADMIN = "填报人", "审核人", "管理员"
ROLES = (CLERK, REVIEWER, ADMIN)

NOT_STARTED, DRAFTING, HAS_ERRORS, SUBMITTED, RETURNED, APPROVED, PUBLISHED = (
    "未开始", "填报中", "有错误", "待审核", "已退回", "已批准", "已公开")
STATUSES = (NOT_STARTED, DRAFTING, HAS_ERRORS, SUBMITTED, RETURNED, APPROVED, PUBLISHED)
EDITABLE = (NOT_STARTED, DRAFTING, HAS_ERRORS, RETURNED)  # a clerk may upload or edit
FORMATS = ("docx", "pdf", "xlsx", "json")


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v) for v in values]


class Department(models.Model):
    code = models.CharField("编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=4, choices=_choices(("部门", "单位")), default="部门")
    parent = models.ForeignKey("self", verbose_name="上级部门", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="units")

    class Meta:
        ordering = ("code",)
        verbose_name = verbose_name_plural = "部门与单位"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField("角色", max_length=4, choices=_choices(ROLES))
    department = models.ForeignKey(Department, verbose_name="所属部门", null=True, blank=True,
                                   on_delete=models.PROTECT)

    class Meta:
        verbose_name = verbose_name_plural = "用户角色"

    def __str__(self) -> str:
        return f"{self.user.username}（{self.role}）"


class BudgetYear(models.Model):
    year = models.PositiveIntegerField("预算年度", unique=True)
    due_date = models.DateField("公开截止日期", null=True, blank=True)

    class Meta:
        ordering = ("-year",)
        verbose_name = verbose_name_plural = "预算年度与截止日期"

    def __str__(self) -> str:
        return f"{self.year}年度"


class Disclosure(models.Model):
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="disclosures")
    year = models.PositiveIntegerField("预算年度")
    status = models.CharField("状态", max_length=4, choices=_choices(STATUSES), default=NOT_STARTED)
    due_date = models.DateField("截止日期（留空则用年度截止日期）", null=True, blank=True)
    submitted = models.ForeignKey("Version", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved = models.ForeignKey("Version", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("最近变更", default=timezone.now)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["department", "year"], name="one_disclosure_per_year"),)
        ordering = ("department__code", "year",)
        verbose_name = verbose_name_plural = "预算公开"

    def __str__(self) -> str:
        return f"{self.department.name} {self.year}年度"

    @property
    def due(self):
        """This disclosure's due date, or its budget year's."""
        return self.due_date or BudgetYear.objects.filter(year=self.year).values_list("due_date", flat=True).first()

    @property
    def overdue(self) -> bool:
        due = self.due
        return bool(due and timezone.localdate() > due and self.status != PUBLISHED)


class StoredFile(models.Model):
    """A file kept once in the file store, by its SHA-256 (`generator.workbench.store`)."""

    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class Version(StoredFile):
    """One upload or in-page edit; never changed after it is written."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    filename = models.CharField("文件名", max_length=255)
    origin = models.CharField("来源", max_length=8)  # 上传 or 页面修改
    note = models.CharField("说明", max_length=500, blank=True)
    errors = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    blocking = models.PositiveIntegerField(default=0)  # findings that block publishing (Report.blocking)
    figures = models.JSONField(default=list)  # [[label, value], …] of `budgetgen check`
    texts = models.JSONField(default=list)  # [[path, text], …] paragraphs editable in the page
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["disclosure", "number"], name="unique_version_number"),)
        ordering = ("disclosure", "-number",)

    def __str__(self) -> str:
        return f"第{self.number}版"

    @property
    def submittable(self) -> bool:
        """The gate is `render`'s: nothing that blocks publishing (an error, a 【待填写】, a default
        nobody chose)."""
        return self.blocking == 0


class Finding(models.Model):
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="findings")
    check_id = models.CharField(max_length=40)
    severity = models.CharField(max_length=8)
    path = models.TextField(blank=True)
    sheet = models.CharField(max_length=100, blank=True)
    place = models.TextField(blank=True)  # 支出!C12 …, or 第40行 (a label may be long user text)
    value = models.TextField(blank=True)
    zh = models.TextField()
    en = models.TextField()
    editable = models.BooleanField(default=True)  # `path` names one value the page can correct (not a table)

    class Meta:
        ordering = ("id",)

    @property
    def blocks(self) -> bool:
        return blocks(self.severity, self.check_id)


class FailedUpload(StoredFile):
    """A file that could not be read: kept with its messages, never a version."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="failed_uploads")
    filename = models.CharField(max_length=255)
    messages = models.JSONField(default=list)  # [[place, zh, en], …]
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        ordering = ("-created_at",)


class Artifact(StoredFile):
    """A rendered document of a version."""

    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="artifacts")
    format = models.CharField(max_length=8)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["version", "format"], name="one_artifact_per_format"),)


class Review(models.Model):
    """Submit, return, approve: who did it to which version, with the comment."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="reviews")
    version = models.ForeignKey(Version, on_delete=models.PROTECT)
    action = models.CharField(max_length=4)  # 提交 退回 批准
    comment = models.TextField(blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-at", "-id",)


class Publication(models.Model):
    disclosure = models.OneToOneField(Disclosure, on_delete=models.PROTECT, related_name="publication")
    date = models.DateField("公开日期")
    url = models.URLField("公开网址", max_length=500)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now)


class Job(models.Model):
    """A render outside the request: one version, or every approved disclosure of a year (a zip)."""

    PENDING, RUNNING, DONE, FAILED = "排队中", "渲染中", "已完成", "失败"
    kind = models.CharField(max_length=8)  # render, batch
    version = models.ForeignKey(Version, null=True, blank=True, on_delete=models.PROTECT)
    year = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=4, default=PENDING)
    message = models.TextField(blank=True)
    result_sha256 = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)


class AuditEntry(models.Model):
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    username = models.CharField("用户", max_length=150)
    action = models.CharField("操作", max_length=20)
    disclosure = models.ForeignKey(Disclosure, null=True, blank=True, on_delete=models.PROTECT)
    detail = models.TextField("详情", blank=True)
    address = models.CharField("地址", max_length=64, blank=True)

    class Meta:
        ordering = ("-at", "-id",)
        verbose_name = verbose_name_plural = "操作日志"
