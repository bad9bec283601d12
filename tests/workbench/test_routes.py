"""Every route with every role: anonymous, the clerk of A, the clerk of B, a reviewer, an admin.

The table below must name every URL pattern of the workbench (a new route without an entry
fails the test), and each route is requested on department A's data.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver

from tests.workbench.conftest import client_for

ALL = {"clerk_a", "clerk_b", "reviewer", "admin"}
A_AND_BUREAU = {"clerk_a", "reviewer", "admin"}
BUREAU = {"reviewer", "admin"}

# route name → (method, who may use it on department A's data)
ROUTES = {
    "home": ("get", ALL),
    "login": ("get", ALL | {"anonymous"}),
    "logout": ("post", ALL | {"anonymous"}),
    "disclosure": ("get", A_AND_BUREAU),
    "upload": ("post", {"clerk_a"}),
    "edit": ("post", {"clerk_a"}),
    "submit": ("post", {"clerk_a"}),
    "review": ("post", BUREAU),
    "publish": ("post", BUREAU),
    "blank": ("get", A_AND_BUREAU),
    "next_year": ("get", A_AND_BUREAU),
    "version_file": ("get", A_AND_BUREAU),
    "version_render": ("post", A_AND_BUREAU),
    "version_diff": ("get", A_AND_BUREAU),
    "version_output": ("get", A_AND_BUREAU),
    "job_status": ("get", A_AND_BUREAU),
    "batch_download": ("get", BUREAU),
    "dashboard": ("get", BUREAU),
    "dashboard_xlsx": ("get", BUREAU),
    "batch": ("post", BUREAU),
    "audit": ("get", {"admin"}),
    "admin": ("get", {"admin"}),
}


def _patterns() -> list[str]:
    from generator.workbench.urls import urlpatterns

    names = []
    for p in urlpatterns:
        if isinstance(p, URLResolver):
            names.append(str(p.pattern).strip("/"))  # Django's admin, as one route
        else:
            assert isinstance(p, URLPattern)
            names.append(p.name)
    return names


def _forbidden(response, role: str) -> bool:
    location = response.get("Location", "")
    return response.status_code == 403 or (response.status_code == 302 and "login/" in location)


def test_the_table_names_every_route():
    assert sorted(_patterns()) == sorted(ROUTES)


def test_every_route_with_every_role(world, commerce_xlsx):
    from generator.workbench import store
    from generator.workbench.models import Artifact, Job

    clerk = client_for(world.clerk_a)
    clerk.post(f"/d/{world.da.pk}/upload", {"file": SimpleUploadedFile("a.xlsx", commerce_xlsx)})
    version = world.da.versions.get()
    Artifact.objects.create(version=version, format="pdf", sha256=store.put(b"%PDF-1.7 test"), size=13)
    render = Job.objects.create(kind="render", version=version, requested_by=world.clerk_a)
    batch = Job.objects.create(kind="batch", year=2024, requested_by=world.reviewer, status=Job.DONE,
                               result_sha256=store.put(b"PK test"))
    d, v = world.da.pk, version.pk
    urls = {
        "home": "/", "login": "/login/", "logout": "/logout/", "disclosure": f"/d/{d}/",
        "upload": f"/d/{d}/upload", "edit": f"/d/{d}/edit", "submit": f"/d/{d}/submit",
        "review": f"/d/{d}/review", "publish": f"/d/{d}/publish", "blank": f"/d/{d}/blank.xlsx",
        "next_year": f"/d/{d}/next-year.xlsx", "version_file": f"/v/{v}/file",
        "version_render": f"/v/{v}/render", "version_diff": f"/v/{v}/diff", "version_output": f"/v/{v}/out/pdf",
        "job_status": f"/jobs/{render.pk}", "batch_download": f"/jobs/{batch.pk}/zip",
        "dashboard": "/dashboard/2024/", "dashboard_xlsx": "/dashboard/2024.xlsx", "batch": "/dashboard/2024/batch",
        "audit": "/audit/", "admin": "/admin/",
    }
    users = {"anonymous": None, "clerk_a": world.clerk_a, "clerk_b": world.clerk_b,
             "reviewer": world.reviewer, "admin": world.admin}
    wrong = []
    for role, user in users.items():
        for name, (method, allowed) in ROUTES.items():
            response = getattr(client_for(user), method)(urls[name])
            if _forbidden(response, role) == (role in allowed):
                wrong.append(f"{role} {method.upper()} {urls[name]} → {response.status_code} "
                             f"{response.get('Location', '')} (expected {'allowed' if role in allowed else 'forbidden'})")
    assert not wrong, "\n".join(wrong)
    # nothing the refused requests did changed A's data
    assert world.da.versions.count() == 1
