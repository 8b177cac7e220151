"""``rongrian demo-history``: weeks of plausible demo cases made by the domain's own functions
at past times; refused on a database with real cases; any loaded directory."""
import datetime as dt
from pathlib import Path

from cases.casework import demo as history
from cases.casework import lifecycle
from cases.store.models import (
    Case, CaseEvent, CaseStatus, Category, Notice, Outbox, OutboxStatus, Village, utcnow,
)
from cases.store.work import unit_of_work

EXTREME = Path(__file__).resolve().parent / "data" / "extreme_directory"


def events_of(case: Case) -> list[str]:
    return [event.kind for event in case.events.order_by(CaseEvent.at, CaseEvent.id)]


def test_weeks_of_plausible_cases_with_their_timelines_and_sms(demo, runner):
    started = utcnow()
    result = runner.invoke(args=["demo-history", "--days", "30"])
    assert result.exit_code == 0, result.output
    assert "Demo history of 30 days" in result.output
    cases = list(Case.select())
    assert 150 <= len(cases) <= 400, len(cases)
    assert all(started - dt.timedelta(days=31) <= case.created_at < started for case in cases)
    statuses = {status: sum(case.status == status for case in cases) for status in CaseStatus}
    assert statuses[CaseStatus.DONE] > len(cases) / 3
    assert statuses[CaseStatus.ASSIGNED] + statuses[CaseStatus.ACCEPTED] > 5
    assert statuses[CaseStatus.NEW] == 0  # every case routed
    assert len({case.channel for case in cases}) >= 3
    assert sum(case.submitter_phone is not None for case in cases) >= 5  # village heads filing for residents
    assert sum(case.rating is not None for case in cases) >= 10
    assert sum(case.reopen_count > 0 for case in cases) >= 1
    assert len({case.agency_id for case in cases}) >= 3 and len({case.village_id for case in cases}) >= 20
    # done fast and done slowly; some waited past their deadline
    hours = sorted((case.closed_at - case.created_at).total_seconds() / 3600 for case in cases if case.closed_at)
    assert hours[0] < 12 and hours[-1] > 24 * 7
    assert Notice.select().where(Notice.key.startswith("accept:")).count() >= 3  # reminders went out
    assert Notice.select().where(Notice.key.startswith("surge:")).exists()  # the storm's day
    assert Case.select().where(Case.duplicate_of.is_null(False)).count() >= 5
    # every timeline is the real code's: the demo mark, filed, routed, then what staff did, at its time
    for case in cases:
        kinds = events_of(case)
        assert kinds[:3] == ["demo", "filed", "routed"] or kinds[:3] == ["filed", "demo", "routed"], kinds
        if case.status == CaseStatus.DONE:
            assert "done" in kinds
            assert case.closed_at > case.created_at
        times = [event.at for event in case.events]
        assert min(times) >= case.created_at and max(times) < started
    # the SMS the steps wrote, at their times, kept as sent and never handed to a gateway
    rows = list(Outbox.select())
    assert len(rows) > len(cases)
    assert {row.status for row in rows} == {OutboxStatus.SENT} and {row.provider for row in rows} == {"demo"}
    assert all(row.sent_at == row.created_at < started for row in rows)
    done = next(case for case in cases if case.status == CaseStatus.DONE and case.submitter_phone is None)
    told = [row for row in rows if row.case_id == done.id and row.phone == done.reporter_phone]
    assert [row.kind for row in told][:1] == ["citizen_accepted"] or told[0].kind.startswith("citizen_done")
    assert any(row.kind.startswith("staff_new") for row in rows if row.case_id == done.id)

    again = runner.invoke(args=["demo-history"])
    assert again.exit_code == 0 and "already there" in again.output
    assert Case.select().count() == len(cases)


def test_refuses_a_database_with_real_cases(demo, runner):
    with unit_of_work(None):
        lifecycle.file_report(Category.get_by_id("road"), Village.get_by_id("51010103"), "หลุม", "+66812345678")
    result = runner.invoke(args=["demo-history", "--days", "5"])
    assert result.exit_code != 0
    assert "real case" in result.output
    assert Case.select().count() == 1 and not CaseEvent.select().where(CaseEvent.kind == history.DEMO_EVENT).exists()


def test_refuses_without_a_directory(runner):
    result = runner.invoke(args=["demo-history", "--days", "5"])
    assert result.exit_code != 0 and "no directory" in result.output


def test_any_loaded_directory(runner):
    assert runner.invoke(args=["load-directory", str(EXTREME)]).exit_code == 0
    result = runner.invoke(args=["demo-history", "--days", "20"])
    assert result.exit_code == 0, result.output
    assert Case.select().count() >= 50
    assert Case.select().where(Case.status == CaseStatus.DONE).count() >= 10
