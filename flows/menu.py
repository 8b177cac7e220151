"""The phone menu (USSD and voice): report a problem, check a reference, or (village heads)
report for a resident. One flow on the shared engine, reusing the report flow's nodes."""
from __future__ import annotations

from cases.casework import lifecycle, notify
from cases.casework.lifecycle import CaseRefused
from cases.language import texts
from cases.language.i18n import N_
from cases.language.keywords import clean
from cases.messages.receipts import received_params
from cases.province.catalog import CATALOG
from cases.province.phones import try_e164
from cases.store.models import Case

from . import render
from .engine import FINISH, Channel, Context, Engine, Flow, Invalid, Node, Option, Screen
from .report import NODES as REPORT_NODES
from .report import SKIP
from .report import finish as file_report

T = texts.template
MAIN_MENU = T("menu_main", N_("Rongrian: local problems\n%(options)s"))
ASK_REFERENCE = T("ask_reference", N_("Enter your ref number"))
ASK_RESIDENT = T("ask_resident", N_("Enter the resident's phone number, or 0 if they have no phone"))
BAD_RESIDENT_PHONE = T("bad_resident_phone", N_("That phone number is not right. Enter it again, or 0 if there is no phone"))
REPORT_LABEL = texts.Msg(N_("Report a problem"))
CHECK_LABEL = texts.Msg(N_("Check a ref number"))
RESIDENT_LABEL = texts.Msg(N_("Report for a resident"))

USSD = Channel("ussd", confirm=True, ussd=True, max_failures=3)
"""Keys only, 80-unit screens, confirm before filing."""
VOICE = Channel("voice", confirm=True, spoken=True, max_failures=3)
"""Keys only, menus read aloud, confirm before filing."""


class MainNode(Node):
    key = MAIN_MENU

    def options(self, ctx):
        options = [Option("report", REPORT_LABEL), Option("check", CHECK_LABEL)]
        if ctx.phone and CATALOG.head(ctx.phone):
            options.append(Option("resident", RESIDENT_LABEL))
        return options

    def choose(self, ctx, value):
        ctx.data["action"] = "check" if value == "check" else "report"
        return {"report": "category", "check": "reference", "resident": "resident"}[value]


class ReferenceNode(Node):
    """A reference typed on the keypad; its status ends the call."""

    key = ASK_REFERENCE
    expects = "digits"

    def answer(self, ctx, text):
        try:
            case = lifecycle.find_case(text)
        except CaseRefused as refusal:  # "send STATUS and the ref" is for SMS: here, just "check the number"
            raise Invalid(texts.BAD_REFERENCE if refusal.key == texts.STATUS_HOW else refusal.key, **refusal.params)
        ctx.data["case"] = case.id
        return FINISH


class ResidentNode(Node):
    """A village head reports for a resident: their phone, or 0 for none."""

    key = ASK_RESIDENT
    expects = "digits"

    def answer(self, ctx, text):
        if clean(text) == SKIP:
            ctx.data["resident"] = None
            return "category"
        phone = try_e164(text)
        if phone is None:
            raise Invalid(BAD_RESIDENT_PHONE)
        ctx.data["resident"] = phone
        return "category"


def finish(ctx: Context) -> Screen:
    """Answer the status of the reference, or file the report and text its reference too."""
    if ctx.data.get("action") == "check":
        key, params = lifecycle.status_reply(Case.get_by_id(ctx.data["case"]))
        return Screen(key, params, end=True)
    with ctx.writing():  # the only step of the menu that writes
        screen = file_report(ctx)
        if "reference" in ctx.data:  # no inline SMS reply on a menu: the reference goes by SMS too
            case = Case.get(Case.reference == ctx.data["reference"])
            notify.citizens(case, texts.RECEIVED, **{k: v for k, v in received_params(case).items() if k != "ref"})
    return screen


NODES = [MainNode("main"), ReferenceNode("reference"), ResidentNode("resident"), *REPORT_NODES]
MENU = Flow("menu", start="main", nodes={node.name: node for node in NODES}, finish=finish)
"""The first screen of USSD and voice and everything after it."""
ENGINE = Engine({MENU.name: MENU}, render.text_pager)
