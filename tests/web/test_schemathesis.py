"""API fuzzing: schemathesis generates requests from the OpenAPI spec; no call may answer 5xx.

Bounded (a few examples per operation, no shrinking) so it stays fast; runs as an admin with the
CSRF header, so the state-changing operations get past the guards and reach the library. Every
4xx answer has the one error shape."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

SKIP = {"/api/logout", "/api/login"}  # would end the admin session the other operations use
FIELDS = ("method", "url", "headers", "params", "json", "data", "files", "content")


def test_no_server_errors(app, client) -> None:  # type: ignore[no-untyped-def]
    admin = client("admin")
    schema = schemathesis.openapi.from_dict(app.openapi())
    failures: list[str] = []
    n_ops = 0
    statuses: list[int] = []
    for result in schema.get_all_operations():
        op = result.ok()
        if op.path in SKIP:
            continue
        n_ops += 1

        @given(case=op.as_strategy())
        @settings(
            max_examples=5,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def run(case) -> None:  # type: ignore[no-untyped-def]
            headers = {**(case.headers or {}), "X-CSRF-Token": admin.headers["X-CSRF-Token"]}
            kw = case.as_transport_kwargs(base_url="http://testserver", headers=headers)
            r = admin.request(**{k: v for k, v in kw.items() if k in FIELDS})
            statuses.append(r.status_code)
            if r.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {r.status_code} {r.text[:300]}")
            elif r.status_code >= 400 and "application/json" in r.headers.get("content-type", ""):
                body = r.json()
                if not {"error", "message"} <= set(body):
                    failures.append(f"{case.method} {case.formatted_path}: error shape {body}")

        run()
    assert n_ops >= 20 and len(statuses) >= 3 * n_ops
    assert any(s < 300 for s in statuses) and any(s == 422 for s in statuses)  # both paths reached
    assert failures == []
