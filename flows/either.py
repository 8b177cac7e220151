"""One short question between two types, when the first words fit both about as well."""
from __future__ import annotations

from cases.language import places, reading, texts
from cases.language.i18n import N_
from cases.language.keywords import answer_word
from cases.province.catalog import CATALOG

from .engine import Invalid, Node, Option
from .first import EITHER, UNCONFIRMED

T = texts.template
ASK_EITHER = T("ask_either", N_("%(village)s: which problem?\n%(options)s"))
ASK_EITHER_ANY = T("ask_either_any", N_("Which problem?\n%(options)s"))
NEITHER_LABEL = texts.Msg(N_("Neither"))


class EitherNode(Node):
    """The first words fit two types about as well (``สายไฟขาดพาดถนน``): one short question
    between the two instead of the whole menu. The place read is named in it, so picking a
    type confirms both; "neither" goes to the menu."""

    def question(self, ctx):
        return ASK_EITHER if ctx.data.get("village") else ASK_EITHER_ANY

    def params(self, ctx):
        village = CATALOG.village(ctx.data["village"]) if ctx.data.get("village") else None
        return {"village": places.village_label(village)} if village else {}

    def options(self, ctx):
        offered = [Option(code, CATALOG.category(code)) for code in ctx.data.get(EITHER, []) if CATALOG.category(code)]
        return offered + [Option("none", NEITHER_LABEL)]

    def choose(self, ctx, value):
        ctx.data.pop(EITHER, None)
        if value == "none":
            return "category"
        ctx.data["category"] = value
        if ctx.data.get("village"):
            ctx.data.pop(UNCONFIRMED, None)  # the question named the village: the pick is the yes
        return "village"

    def answer(self, ctx, text):
        if answer_word(text) is False:
            return self.choose(ctx, "none")
        said, _ = reading.read_type(text)
        if said in ctx.data.get(EITHER, []):
            return self.choose(ctx, said)
        raise Invalid(self.question(ctx))
