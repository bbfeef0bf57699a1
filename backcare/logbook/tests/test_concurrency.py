"""Idempotent logging under real concurrency: each thread has its own database connection."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from django.db import connection

from backcare.audit.models import AuditEvent
from backcare.logbook.models import ExerciseLog, Session
from backcare.logbook.tests.conftest import session_json
from backcare.patients.models import Patient
from backcare.testing import logged_in

REQUESTS = 4


@pytest.mark.django_db(transaction=True)
def test_it_stores_one_session_when_the_same_post_arrives_at_once(patient: Patient) -> None:
    body = json.dumps(session_json(patient))
    clients = [logged_in(patient.user) for _ in range(REQUESTS)]
    start = threading.Barrier(REQUESTS)
    statuses: list[int] = []
    failures: list[BaseException] = []

    def post(client: Any) -> None:
        try:
            start.wait()
            response = client.post("/api/v1/me/sessions", body, content_type="application/json")
            statuses.append(response.status_code)
        except BaseException as error:  # a thread's exception would otherwise vanish
            failures.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert sorted(statuses) == [200] * (REQUESTS - 1) + [201]
    assert Session.objects.count() == 1
    assert ExerciseLog.objects.count() == 3
    actions = sorted(AuditEvent.objects.values_list("action", flat=True))
    assert actions == ["logbook.session.create"] + ["logbook.session.replay"] * (REQUESTS - 1)
