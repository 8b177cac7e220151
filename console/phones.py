"""The gateway phones page, for the clerk who keeps the phones charged: per phone up or down
(and why), the SMS waiting for it by priority and the oldest, sent in the last hour, the pace
and the last error. The figures are ``outbound.Sender.state()``, the very report ``/healthz``
shows under ``gateways``."""
from __future__ import annotations

from typing import NamedTuple

from flask import render_template

from cases.language.i18n import N_
from cases.store.models import Priority
from web import services

from . import auth
from .blueprint import bp

PRIORITY_LABELS = {
    Priority.REPLY: N_("Answers waited for"), Priority.RECEIPT: N_("Receipts"), Priority.CITIZEN: N_("Status SMS"),
    Priority.STAFF: N_("Staff notices"), Priority.BULK: N_("Reminders"),
}
"""Each priority's column, in the order the SMS leave (translated on the page)."""
DOWN_BECAUSE = {"failing": N_("down: its last sends failed"), "silent": N_("down: not seen by the gateway")}


class PhoneRow(NamedTuple):
    """One line of the page: a gateway (``backend``) and one of its phones (``label``) as reported."""

    backend: str
    label: str
    report: dict
    pace: int | None

    @property
    def waiting(self) -> dict[str, dict]:
        return self.report.get("waiting") or {}

    def count(self, priority: Priority) -> int:
        return self.waiting.get(priority.name.lower(), {}).get("count", 0)

    @property
    def oldest_seconds(self) -> int | None:
        ages = [each.get("oldest_seconds", 0) for each in self.waiting.values()]
        return max(ages) if ages else None


def rows(state: dict) -> list[PhoneRow]:
    """The lines of the page from the gateways' state: a line per phone, or one for a
    gateway without phones of its own (Twilio, the console)."""
    found = []
    for backend, report in sorted(state.items()):
        if "phones" in report:
            found += [PhoneRow(backend, label, phone, report.get("pace_per_minute"))
                      for label, phone in report["phones"].items()]
        else:
            found.append(PhoneRow(backend, backend, report, None))
    return found


@bp.get("/phones")
@auth.login_required
def phones():
    return render_template("console/phones.html", rows=rows(services().sender.state()), labels=PRIORITY_LABELS,
                           down_because=DOWN_BECAUSE)
