"""Templates of a case's life after the report: proxies, ratings, reminders, duplicates,
limits and failed deliveries (registered in the ``cases.language.texts`` registry)."""
from __future__ import annotations

from cases.language import texts
from cases.language.i18n import N_

T = texts.template

# --- village heads ------------------------------------------------------------------
FOR_RESIDENT = T("for_resident", N_("For %(phone)s: %(body)s"), flexible="body")
PROXY_RECEIVED = T("proxy_received", N_('Your village head reported for you. To check, send "STATUS %(ref)s".'))
NOT_A_HEAD = T("not_a_head", N_("Only village heads can report for others. Send any text to report your own problem."))
PROXY_HOW = T("proxy_how", N_("Send \"FOR\" and the resident's mobile number, or \"FOR\" alone if they have no phone."))

# --- rating and reopening -----------------------------------------------------------
DONE_RATE = T("citizen_done_rate", N_("Ref %(ref)s done: %(note)s. Rate 1 (bad) to 5 (good)?"), flexible="note")
DONE_NO_NOTE_RATE = T("citizen_done_no_note_rate", N_("Ref %(ref)s done by %(agency)s. Rate 1 (bad) to 5 (good)?"))
RATED = T("rated", N_("Thank you for your rating."))
RATED_LOW = T("rated_low", N_("Sorry. To reopen ref %(ref)s reply 1."))
RATING_HOW = T("rating_how", N_("Please reply one number from 1 (bad) to 5 (good)."))
REOPENED = T("citizen_reopened", N_("Ref %(ref)s reopened: waiting to be taken by %(agency)s."))
STAFF_REOPENED = T(
    "staff_reopened", N_("Reopened %(ref)s %(category)s %(village)s %(text)s"), flexible="text"
)

# --- reminders and the digest -------------------------------------------------------
REMIND_ACCEPT = T("remind_accept", N_("Reminder: %(ref)s %(category)s %(village)s waiting to be taken."))
ESCALATE_ACCEPT = T("escalate_accept", N_("3 days not taken: %(ref)s %(category)s %(village)s"))
REMIND_DEADLINE = T("remind_deadline", N_("Overdue: %(ref)s %(category)s %(village)s."))
ESCALATE_DEADLINE = T("escalate_deadline", N_("Long overdue: %(ref)s %(category)s %(village)s"))
DIGEST = T("digest", N_("Today: open %(open)s, overdue %(overdue)s, done yesterday %(done)s."))

# --- duplicates and surges ----------------------------------------------------------
ALREADY_RECEIVED = T("already_received", N_("Already received, ref %(ref)s. Your message was added."))
ALREADY_RECEIVED_ELSEWHERE = T(  # sent by another of the service's phones: the service named
    "already_received_elsewhere", N_("Rongrian, the same service: already received, ref %(ref)s. Your message was added.")
)
STAFF_MORE_REPORTS = T(
    "staff_more_reports", N_("%(ref)s +%(count)s reports %(category)s %(village)s %(text)s"), flexible="text"
)
SURGE = T("surge", N_("Surge: %(count)s reports of %(category)s in %(subdistrict)s, %(district)s within 6 hours."))

# --- limits and failed delivery -----------------------------------------------------
TOO_MANY_REPORTS = T("too_many_reports", N_("You sent %(max)s reports today. Please send more tomorrow."))
TELL_RESIDENT = T("tell_resident", N_("SMS failed, please tell %(phone)s: %(body)s"), flexible="body")

texts.ALWAYS_SENT.update(
    {PROXY_RECEIVED, NOT_A_HEAD, PROXY_HOW, RATED, RATED_LOW, RATING_HOW, ALREADY_RECEIVED, ALREADY_RECEIVED_ELSEWHERE,
     TOO_MANY_REPORTS}
)

CITIZEN_STATUS = frozenset(
    {texts.ACCEPTED, texts.FORWARDED, texts.DONE, texts.DONE_NO_NOTE, DONE_RATE, DONE_NO_NOTE_RATE, REOPENED}
)
"""Status SMS to citizens: retried once when undelivered, then passed to the village head."""
