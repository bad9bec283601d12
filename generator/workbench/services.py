"""What the workbench does to its data: versions, the gate, review, publication.

Every change runs in a transaction that locks its disclosure row, so two clerks uploading at
once get two versions with consecutive numbers; the unique (disclosure, number) constraint and
a retry are the second line of defence.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from generator.workbench import audit, pool, store, wording, work
from generator.workbench.models import (
    APPROVED,
    DRAFTING,
    EDITABLE,
    HAS_ERRORS,
    PUBLISHED,
    RETURNED,
    SUBMITTED,
    BudgetYear,
    Department,
    Disclosure,
    FailedUpload,
    Finding,
    Job,
    Publication,
    Review,
    Version,
)

RETRIES = 20


class Refused(Exception):
    """An action the disclosure's state does not allow; the message is for the page."""


def ensure_disclosures(year: int) -> None:
    """A disclosure for every department and unit in a budget year (the ledger of what is due)."""
    BudgetYear.objects.get_or_create(year=year)
    have = set(Disclosure.objects.filter(year=year).values_list("department_id", flat=True))
    Disclosure.objects.bulk_create([Disclosure(department=d, year=year)
                                    for d in Department.objects.exclude(pk__in=have)], ignore_conflicts=True)


def _check(content: bytes, filename: str) -> dict:
    try:
        return pool.run(work.check, content, filename)
    except pool.WorkerFailed:
        return {"ok": False, "messages": [list(wording.WORKER_DIED)]}


def _editable(disclosure: Disclosure) -> None:
    if disclosure.status not in EDITABLE:
        raise Refused(wording.NOT_ALLOWED.format(status=disclosure.status, action=wording.UPLOAD_OR_EDIT)
                      + (wording.ASK_RETURN if disclosure.status == SUBMITTED else ""))


def _failed(request: HttpRequest, disclosure: Disclosure, filename: str, content: bytes, sha256: str,
            messages: list[list[str]], detail: str) -> FailedUpload:
    failed = FailedUpload.objects.create(disclosure=disclosure, filename=filename, sha256=sha256, size=len(content),
                                         messages=messages, created_by=request.user)
    audit.record(request, wording.UPLOAD_FAILED, disclosure, detail)
    return failed


def add_version(request: HttpRequest, disclosure: Disclosure, filename: str, content: bytes,
                origin: str = wording.UPLOAD, note: str = "", base: Version | None = None) -> Version | FailedUpload:
    """Check a file in a worker; keep it as a new version, or as a failed upload with its messages.

    `base`: the version an in-page edit changed, which must still be the newest when the new
    version is numbered (an edit of an older one would silently undo what came after it)."""
    _editable(disclosure)
    result = _check(content, filename)
    sha256 = store.put(content)
    if not result["ok"]:
        return _failed(request, disclosure, filename, content, sha256, result["messages"],
                       f"{filename}：{result['messages'][0][1]}")
    if result["year"] != disclosure.year:
        years = {"file": result["year"], "disclosure": disclosure.year}
        return _failed(request, disclosure, filename, content, sha256,
                       [["", *(text.format(**years) for text in wording.WRONG_YEAR)]],  # no cell to correct
                       wording.WRONG_YEAR_AUDIT.format(filename=filename))
    for _ in range(RETRIES):
        try:
            version = _new_version(request, disclosure.pk, filename, content, sha256, origin, note, result, base)
            break
        except IntegrityError:
            continue
    else:
        raise Refused(wording.TOO_MANY_AT_ONCE)
    audit.record(request, wording.UPLOAD if origin == wording.UPLOAD else wording.EDIT, disclosure,
                 wording.VERSION_AUDIT.format(version=version, filename=filename, errors=version.errors,
                                              warnings=version.warnings, note=note))
    return version


def _new_version(request: HttpRequest, disclosure_id: int, filename: str, content: bytes, sha256: str,
                 origin: str, note: str, result: dict, base: Version | None = None) -> Version:
    with transaction.atomic():
        disclosure = Disclosure.objects.select_for_update().get(pk=disclosure_id)
        _editable(disclosure)
        if base is not None:
            _seen(latest(disclosure), base.pk, wording.EDIT_ACTION, wording.EDIT_NOT_SAVED)
        number = (disclosure.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = Version.objects.create(
            disclosure=disclosure, number=number, filename=filename, sha256=sha256, size=len(content),
            origin=origin, note=note[:500], errors=result["errors"], warnings=result["warnings"],
            blocking=result["blocking"], figures=result["figures"], texts=result["texts"],
            created_by=request.user)
        Finding.objects.bulk_create([Finding(version=version, **f) for f in result["findings"]])
        disclosure.status = HAS_ERRORS if version.errors else DRAFTING
        disclosure.updated_at = timezone.now()
        disclosure.save(update_fields=["status", "updated_at"])
    return version


def edit_version(request: HttpRequest, version: Version, path: str, value: str) -> Version | FailedUpload:
    """An in-page correction: the file with one value changed becomes a new version (of the
    newest version only: the page that showed an older one is refused, see `_seen`)."""
    _seen(latest(version.disclosure), version.pk, wording.EDIT_ACTION, wording.EDIT_NOT_SAVED)
    try:
        result = pool.run(work.edit, store.get(version.sha256), version.filename, path, value)
    except pool.WorkerFailed:
        raise Refused(wording.EDIT_NOT_SAVED + wording.EDIT_WORKER_DIED) from None
    if not result["ok"]:
        raise Refused(wording.EDIT_NOT_SAVED + "；".join(m[1] for m in result["messages"][:3]))
    return add_version(request, version.disclosure, version.filename, result["content"],
                       origin=wording.EDITED_IN_PAGE, note=wording.EDIT_NOTE.format(path=path, value=value[:200]),
                       base=version)


def latest(disclosure: Disclosure) -> Version | None:
    return disclosure.versions.order_by("-number").first()


def _seen(current: Version | None, seen: int | str | None, action: str, prefix: str = "") -> None:
    """Refuse an action taken on a page that showed another version than the one it would act on
    (`seen`: the version the page's form names; None where the form named none)."""
    if seen in (None, "") or current is None or str(current.pk) == str(seen):
        return
    shown = Version.objects.filter(pk=seen).first() if str(seen).isdigit() else None
    raise Refused(prefix + wording.STALE.format(shown=shown or wording.AN_OLDER_VERSION, current=current,
                                                action=action))


def _transition(disclosure_id: int, allowed: tuple[str, ...], action: str) -> Disclosure:
    disclosure = Disclosure.objects.select_for_update().get(pk=disclosure_id)
    if disclosure.status not in allowed:
        raise Refused(wording.NOT_ALLOWED.format(status=disclosure.status, action=action))
    return disclosure


def submit(request: HttpRequest, disclosure: Disclosure, seen: int | str | None = None) -> Version:
    """The gate: only the newest version, with nothing that blocks publishing, can be submitted
    (and only from a page that showed it: `seen`)."""
    with transaction.atomic():
        disclosure = _transition(disclosure.pk, (DRAFTING, RETURNED, HAS_ERRORS), wording.SUBMIT)
        version = latest(disclosure)
        if version is None:
            raise Refused(wording.NO_VERSION)
        _seen(version, seen, wording.SUBMIT)
        if not version.submittable:
            raise Refused(wording.GATE.format(version=version, blocking=version.blocking))
        disclosure.status, disclosure.submitted, disclosure.updated_at = SUBMITTED, version, timezone.now()
        disclosure.save(update_fields=["status", "submitted", "updated_at"])
        Review.objects.create(disclosure=disclosure, version=version, action=wording.SUBMIT, user=request.user)
    audit.record(request, wording.SUBMIT, disclosure, str(version))
    return version


def send_back(request: HttpRequest, disclosure: Disclosure, comment: str, seen: int | str | None = None) -> None:
    if not comment.strip():
        raise Refused(wording.COMMENT_NEEDED)
    with transaction.atomic():
        disclosure = _transition(disclosure.pk, (SUBMITTED,), wording.RETURN)
        _seen(disclosure.submitted, seen, wording.RETURN)
        Review.objects.create(disclosure=disclosure, version=disclosure.submitted, action=wording.RETURN,
                              comment=comment, user=request.user)
        disclosure.status, disclosure.updated_at = RETURNED, timezone.now()
        disclosure.save(update_fields=["status", "updated_at"])
    audit.record(request, wording.RETURN, disclosure, comment)


def approve(request: HttpRequest, disclosure: Disclosure, comment: str, seen: int | str | None = None) -> Job:
    """Approve the submitted version (the one the reviewer's page showed: `seen`); its documents
    are rendered and frozen by a job."""
    with transaction.atomic():
        disclosure = _transition(disclosure.pk, (SUBMITTED,), wording.APPROVE)
        version = disclosure.submitted
        _seen(version, seen, wording.APPROVE)
        Review.objects.create(disclosure=disclosure, version=version, action=wording.APPROVE, comment=comment,
                              user=request.user)
        disclosure.status, disclosure.approved, disclosure.updated_at = APPROVED, version, timezone.now()
        disclosure.save(update_fields=["status", "approved", "updated_at"])
        job = request_render(request, version)
    audit.record(request, wording.APPROVE, disclosure, f"{version} {comment}")
    return job


def publish(request: HttpRequest, disclosure: Disclosure, date: datetime.date, url: str) -> None:
    with transaction.atomic():
        disclosure = _transition(disclosure.pk, (APPROVED,), wording.PUBLISH)
        Publication.objects.create(disclosure=disclosure, date=date, url=url, user=request.user)
        disclosure.status, disclosure.updated_at = PUBLISHED, timezone.now()
        disclosure.save(update_fields=["status", "updated_at"])
    audit.record(request, wording.PUBLISH, disclosure, f"{date} {url}")


def request_render(request: HttpRequest, version: Version) -> Job:
    """The pending or finished render of a version, or a new one."""
    existing = Job.objects.filter(kind="render", version=version).exclude(status=Job.FAILED).first()
    return existing or Job.objects.create(kind="render", version=version, requested_by=request.user)
