"""Every SMS the system sends, as one registry of templates.

Templates are English msgids marked for Babel; the Thai wording lives in
``locale/th/LC_MESSAGES/messages.po``. Each must fit one SMS segment with worst-case values
(``tests/test_lengths.py`` proves it, with the demo directory and one of extreme names): a
directory name that does not fit is shortened (``fitting``), a ``flexible`` parameter (free
text such as a note) is cut to fit; every other parameter must fit as it is.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

from cases.language import fitting, segments
from cases.language.i18n import N_, gettext

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Template:
    msgid: str
    flexible: str | None = None  # the one parameter that is cut to fit
    parts: int = 1  # a direct answer may spread its flexible text over this many SMS
    more: str | None = None  # the template of the parts after the first (default: this one)


TEMPLATES: dict[str, Template] = {}
"""Template key → Template."""


def template(key: str, msgid: str, flexible: str | None = None, parts: int = 1, more: str | None = None) -> str:
    """Register a template; returns its key."""
    TEMPLATES[key] = Template(msgid, flexible, parts, more)
    return key


# --- citizens -----------------------------------------------------------------------
RECEIVED = template("received", N_('Received: %(category)s, %(village)s. To check it, send "STATUS %(ref)s".'))
RECEIVED_ELSEWHERE = template(  # the receipt sent by another of the service's phones: the service named
    "received_elsewhere",
    N_("Rongrian, the same service: received %(category)s, %(village)s, ref %(ref)s."),
)
ACCEPTED = template("citizen_accepted", N_("Ref %(ref)s: being fixed by %(agency)s."))
FORWARDED = template("citizen_forwarded", N_("Ref %(ref)s passed to %(agency)s: waiting to be taken."))
DONE = template("citizen_done", N_("Ref %(ref)s done: %(note)s"), flexible="note")
DONE_NO_NOTE = template("citizen_done_no_note", N_("Ref %(ref)s done by %(agency)s."))

STATUS_NEW = template("status_new", N_("Ref %(ref)s %(category)s: received, finding the agency."))
STATUS_ASSIGNED = template("status_assigned", N_("Ref %(ref)s %(category)s: waiting to be taken by %(agency)s."))
STATUS_ACCEPTED = template("status_accepted", N_("Ref %(ref)s %(category)s: being fixed by %(agency)s."))
STATUS_DONE = template("status_done", N_("Ref %(ref)s %(category)s: done by %(agency)s."))
STATUS_CANCELLED = template("status_cancelled", N_("Ref %(ref)s %(category)s: cancelled."))

BAD_REFERENCE = template("bad_reference", N_("That ref number is not right. Please check the number."))
UNKNOWN_REFERENCE = template("unknown_reference", N_("No report has that ref. Please check the number."))
STATUS_HOW = template("status_how", N_('Send "STATUS", a space and your ref number.'))

DRAFT_CANCELLED = template("draft_cancelled", N_("Cancelled. You may report a problem again at any time."))
YOU_ARE_WELCOME = template("you_are_welcome", N_("You are welcome. If there is another problem, just tell us."))
NOTHING_TO_CANCEL = template("nothing_to_cancel", N_("Nothing to cancel. Send any message to report a problem."))
LANGUAGE_SET = template("language_set", N_("OK, we will write to you in English."))
STOPPED = template("stopped", N_('You will get no more updates on your reports. Send "START" to get them again.'))
STARTED = template("started", N_('Updates on your reports are on again. Send "STOP" to turn them off.'))
SORRY = template("sorry", N_("Sorry, something went wrong. Please try again."))

# --- staff --------------------------------------------------------------------------
STAFF_NEW_CASE = template(
    "staff_new_case", N_("New %(ref)s %(category)s %(village)s %(phone)s %(text)s"), flexible="text"
)
STAFF_NEW_UNROUTED = template(
    "staff_new_unrouted", N_("No rule! %(ref)s %(category)s %(village)s: %(text)s"), flexible="text"
)
STAFF_FORWARDED_IN = template(
    "staff_forwarded_in", N_("Fwd %(ref)s %(category)s %(village)s %(phone)s %(text)s"), flexible="text"
)
STAFF_ACCEPTED = template("staff_accepted", N_('Being fixed. When done, send "DONE %(ref)s" and a note.'))
STAFF_DONE = template("staff_done", N_("Ref %(ref)s done. Thank you."))
STAFF_FORWARD_SENT = template("staff_forward_sent", N_("Ref %(ref)s passed to %(agency)s."))
STAFF_NOT_YOURS = template("staff_not_yours", N_("Ref %(ref)s is with %(agency)s; you cannot change it."))
STAFF_ALREADY_THERE = template("staff_already_there", N_("Ref %(ref)s is already with %(agency)s."))
STAFF_ALREADY_DONE = template("staff_already_done", N_("Ref %(ref)s is already done or cancelled."))
STAFF_UNKNOWN_AGENCY = template(
    "staff_unknown_agency", N_('No agency matches %(code)s. Send "AGENCIES" for the list.'), flexible="code"
)
STAFF_LIST = template("staff_list", N_("Open %(count)s: %(items)s"), flexible="items", parts=2)
STAFF_VIEW_MORE = template("staff_view_more", N_("%(ref)s: %(text)s"), flexible="text")
STAFF_VIEW = template(
    "staff_view", N_("%(ref)s: %(phone)s, call or see the whole number in the console. %(text)s"), flexible="text",
    parts=4, more=STAFF_VIEW_MORE,
)
STAFF_VIEW_NO_PHONE = template(
    "staff_view_no_phone", N_("%(ref)s: no phone. %(text)s"), flexible="text", parts=4, more=STAFF_VIEW_MORE
)
STAFF_LIST_EMPTY = template("staff_list_empty", N_("No open cases. Well done."))
STAFF_HELP = template("staff_help", N_('"ACCEPT", "VIEW", "DONE", "FWD" and the ref; "LIST", "AGENCIES", "SUMMARY".'))
STAFF_AGENCIES = template("staff_agencies", N_("Agencies (code name): %(items)s"), flexible="items", parts=3)

# --- help: the words each kind of phone may use -------------------------------------
HELP_CITIZEN = template("help_citizen", N_('Send the problem in words, or "STATUS ref", "CANCEL", "STOP", "START", "TH".'))
HELP_HEAD = template("help_head", N_('"FOR phone", "LIST", "STATUS ref", "CANCEL", "STOP", "START", "TH".'))
HELP_PROVINCE = template("help_province", N_('"SUMMARY" of the province; "ACCEPT", "VIEW", "DONE", "FWD" and the ref; "AGENCIES".'))
STAFF_SUMMARY = template(
    "staff_summary",
    N_("This month: received %(received)s, done %(resolved)s (%(rate)s%%), open %(pending)s, overdue %(late)s."),
)
STAFF_LOGIN_CODE = template(
    "staff_login_code", N_("Rongrian console code %(otp)s, valid 10 minutes. Never share it.")
)

ALWAYS_SENT = set(
    {RECEIVED, RECEIVED_ELSEWHERE, STOPPED, STARTED, LANGUAGE_SET, BAD_REFERENCE, UNKNOWN_REFERENCE, STATUS_HOW}
    | {HELP_CITIZEN, HELP_HEAD, HELP_PROVINCE}
    | {key for key in TEMPLATES if key.startswith("status_") or key.startswith("staff_")}
)
"""Answers to what the phone just sent: sent even to a phone that said STOP (other modules
add their own answers)."""

ELLIPSIS = fitting.ELLIPSIS

FREE_TEXT_RESERVE = 8
"""Characters a flexible text (a note) keeps before the names of its message are cut."""


class Msg(str):
    """A short text (a menu label) translated when shown."""


def localized(value, language: str):
    """A value as shown in ``language``: a directory row by its name, a Msg translated,
    a ``{"th": …, "en": …}`` dict by its key; anything else as it is."""
    if isinstance(value, Msg):
        return gettext(language, value)
    if isinstance(value, dict):
        return value.get(language) or value.get("th")
    if hasattr(value, "name_th"):
        return value.name_en if language == "en" else value.name_th
    return value


def name(value, language: str) -> fitting.Name | None:
    """``value`` as a name that may be shortened to fit (a directory row or a ``{"th", "en"}``
    label, with the row's ``short_name_<language>`` if it has one); None for any other value."""
    if not (isinstance(value, dict) or hasattr(value, "name_th")):
        return None
    return fitting.Name(localized(value, language), getattr(value, f"short_name_{language}", None) or None)


def fill(language: str, key: str, **params) -> str:
    """Template ``key`` in ``language`` with ``params``, not yet fitted."""
    params = {name: localized(value, language) for name, value in params.items()}
    return gettext(language, TEMPLATES[key].msgid, **params)


def render(language: str, key: str, **params) -> str:
    """Template ``key`` in ``language``, fitted to one segment: names shortened, the flexible
    parameter cut (``fit_values``)."""
    return render_parts(language, key, max_parts=1, **params)[0]


def render_parts(language: str, key: str, max_parts: int | None = None, **params) -> list[str]:
    """Template ``key`` as at most ``max_parts`` (default: the template's ``parts``) one-segment
    SMS: names shortened as in ``fit_values``, then the flexible parameter is spread over them,
    broken between words, the last one cut with an ellipsis; the parts after the first in the
    template's ``more`` template if it has one."""
    return render_fitted(language, key, params, segments.fits, max_parts or TEMPLATES[key].parts)


def fit_values(language: str, key: str, params: dict, fits: Callable[[str], bool] = segments.fits) -> dict:
    """``params`` as shown in ``language``, the names among them (see ``name``) fitted so
    that template ``key`` ``fits``. What gives way, in order: names beyond
    ``fitting.RECOGNIZABLE`` units (short names first) while the flexible text keeps
    FREE_TEXT_RESERVE characters; then the flexible text; then names down to
    ``fitting.NAME_FLOOR`` units, and at last further (``fitting.fit_names``)."""
    values = {param: localized(value, language) for param, value in params.items()}
    flexible = TEMPLATES[key].flexible
    names = {param: found for param, value in params.items()
             if param != flexible and (found := name(value, language)) is not None}
    if not names or fits(fill(language, key, **values)):
        return values
    free = str(values[flexible]).strip() if flexible else ""
    stages = ((fitting.RECOGNIZABLE, FREE_TEXT_RESERVE), (fitting.RECOGNIZABLE, 0), (fitting.NAME_FLOOR, 0), (1, 0))
    for floor, reserve in dict.fromkeys((floor, reserve if flexible else 0) for floor, reserve in stages):
        rest = {**values, flexible: _cut(free, reserve)} if flexible else values
        fitted = fitting.fit_names(names, lambda shown: fill(language, key, **{**rest, **shown}), fits, floor)
        if fits(fill(language, key, **{**rest, **fitted})):
            break
    return {**values, **fitted}


def render_fitted(language: str, key: str, params: dict, fits: Callable[[str], bool], max_parts: int = 1) -> list[str]:
    """Template ``key`` as at most ``max_parts`` texts that each ``fits`` (``render_parts``)."""
    params = fit_values(language, key, params, fits)
    flexible = TEMPLATES[key].flexible
    text = fill(language, key, **params)
    if fits(text) or not flexible:
        if not fits(text):
            log.error("SMS %s does not fit one segment (%d units)", key, segments.units(text))  # its text may hold a phone
        return [text]
    parts, rest, first = [], str(params[flexible]).strip(), key
    while rest and len(parts) < max_parts - 1:
        length = _longest_fitting(language, key, params, flexible, rest, _head, fits)
        if length >= len(rest):
            break
        length = _word_break(rest, length)
        parts.append(fill(language, key, **{**params, flexible: rest[:length].rstrip(" ,")}))
        rest = rest[length:].lstrip(" ,")
        key = TEMPLATES[first].more or first
    length = _longest_fitting(language, key, params, flexible, rest, _cut, fits)
    last = _cut(rest, length)
    if max_parts > 1 and length < len(rest):  # a list: the last SMS ends after a whole item, then ", …"
        item = rest.rfind(", ", 0, length)
        listed = rest[:item + 2] + ELLIPSIS[segments.is_gsm7(rest[:item])]
        if item > length // 2 and fits(fill(language, key, **{**params, flexible: listed})):
            last = listed
    parts.append(fill(language, key, **{**params, flexible: last}))
    return parts


def _longest_fitting(language, key, params, flexible, value, shorten, fits) -> int:
    """The longest ``shorten(value, n)`` that still lets the template ``fits``."""
    low, high = 0, len(value)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(fill(language, key, **{**params, flexible: shorten(value, middle)})):
            low = middle
        else:
            high = middle - 1
    return low


def _word_break(value: str, length: int) -> int:
    """``length`` moved back to the end of the last list item (``, ``), else the last space or
    comma, when one is in its second half, else to the last cluster boundary (at least one
    cluster). A list (open cases, agencies) is so never split inside an item."""
    item = value.rfind(", ", 0, length + 1)
    if item > length // 2:
        return item + 1
    cut = max(value.rfind(" ", 0, length + 1), value.rfind(",", 0, length + 1))
    if cut > length // 2:
        return cut
    return fitting.boundary(value, length) or len(fitting.clusters(value)[0])


def _head(value: str, length: int) -> str:
    """At most ``length`` characters of ``value``, ending on a cluster boundary."""
    return value[: fitting.boundary(value, length)]


def _cut(value: str, length: int) -> str:
    """``value`` when it has at most ``length`` characters, else its head marked with an ellipsis."""
    if length >= len(value):
        return value
    head = _head(value, length).rstrip()
    return head + ELLIPSIS[segments.is_gsm7(head)]
