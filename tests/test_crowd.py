"""A crowd about one problem: fifty villagers report the same landslide. Each gets a
reference at once; staff get one case and at most one "+N reports" update per half hour."""
import datetime as dt

from rq.registry import ScheduledJobRegistry

from cases.language import lifecycle_texts
from cases.store import reference
from cases.store.models import Case, Outbox, OutboxStatus, Priority, utcnow
from web import services
from workers import queue

OFFICER, UNIT_HEAD = "+66800000101", "+66800000102"
CROWD = 50


def about(case: Case, bodies: list[str]) -> list[str]:
    return [body for body in bodies if case.reference in body]


def test_fifty_reports_of_one_problem_make_one_case_and_two_staff_sms(demo, phone, twilio_app, twilio_api, work):
    references = []
    for index in range(CROWD):
        reply = phone(f"0861{index:06d}").send("1 51010103 ดินสไลด์ปิดถนน")
        references.append(reference.find_in(reply))
        if index in (0, 1, 10, 30):  # the worker drains now and then, as it would in an hour of reports
            work()
    work()
    assert len(set(references)) == CROWD and all(references)
    first = Case.get(Case.reference == references[0])
    assert Case.select().where(Case.duplicate_of == first).count() == CROWD - 1
    staff = [OFFICER, UNIT_HEAD]
    for staff_phone in staff:
        sent = about(first, twilio_api.to(staff_phone))
        assert len(sent) == 2, sent  # the new case, then "+1" at once
        assert sent[1].startswith(f"{first.reference} +1")

    # half an hour on, one update per phone carries every report since the last one
    waiting = list(Outbox.select().where(
        (Outbox.kind == lifecycle_texts.STAFF_MORE_REPORTS) & (Outbox.status == OutboxStatus.QUEUED)
    ))
    assert sorted(row.phone for row in waiting) == sorted(staff)
    assert all(row.priority == Priority.STAFF.value and row.send_after > utcnow() + dt.timedelta(minutes=29)
               for row in waiting)
    Outbox.update(send_after=utcnow() - dt.timedelta(seconds=1)).where(Outbox.id.in_([row.id for row in waiting])).execute()
    registry = ScheduledJobRegistry(queue.SMS[Priority.STAFF], connection=services(twilio_app).connection)
    for job_id in registry.get_job_ids():
        registry.requeue(job_id)
    work()
    for staff_phone in staff:
        sent = about(first, twilio_api.to(staff_phone))
        assert len(sent) == 3 and sent[2].startswith(f"{first.reference} +{CROWD - 2}"), sent
