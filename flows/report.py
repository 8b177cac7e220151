"""The report flow: complaint type → village → short description → (confirm) → filed."""
from __future__ import annotations

from cases.casework import lifecycle
from cases.language import lifecycle_texts, places, reading, texts
from cases.language.i18n import N_
from cases.language.keywords import answer_word
from cases.messages.receipts import received_params
from cases.province.catalog import CATALOG
from cases.store.models import Contact, Subdistrict, Village

from .either import EitherNode
from .engine import FINISH, Context, Flow, Invalid, Node, Option, Screen
from .first import EITHER, FROM_DIGITS, MISREAD, OTHER, UNCONFIRMED, apply_place, describes

T = texts.template
ASK_CATEGORY = T("ask_category", N_("What is the problem? Reply a number: %(options)s"))
RETRY_CATEGORY = T("retry_category", N_("Please reply one number: %(options)s"))
ASK_VILLAGE = T("ask_village", N_("Which village? Type subdistrict and moo, e.g. %(example)s, or the village code"))
ASK_VILLAGE_LAST = T("ask_village_last", N_("Which village? %(options)s or type subdistrict and moo"))
ASK_DISTRICT = T("ask_district", N_("Which district? (or the village code)\n%(options)s"))
ASK_SUBDISTRICT = T("ask_subdistrict", N_("Which subdistrict?\n%(options)s"))
ASK_PICK = T("ask_pick", N_("Which one? %(options)s"))
ASK_MOO = T("ask_moo", N_("Which moo (village number) in %(subdistrict)s?"))
MOO_UNKNOWN = T("moo_unknown", N_("%(subdistrict)s has no moo %(moo)s. Reply the moo number again."))
VILLAGE_NOT_FOUND = T("village_not_found", N_("Village not found. Type subdistrict and moo, e.g. %(example)s"))
VILLAGE_CODE_UNKNOWN = T("village_code_unknown", N_("No village has that code. Check the 8 digits."))
VILLAGE_CODE_UNKNOWN_LIST = T("village_code_unknown_list", N_("No village has that code. Choose again:\n%(options)s"))
ASK_DESCRIPTION = T("ask_description", N_("Describe the problem in a few words (0 = skip)"))
ASK_RECORDING = T("ask_recording", N_("After the beep, say the problem in a few words, then press the hash key."))
ASK_CONFIRM = T("ask_confirm", N_("Send %(category)s, %(village)s?\n%(options)s"))
TOO_MANY_TRIES = T("too_many_tries", N_("Sorry, we could not understand. Please try again later."))
ASK_READ = T("ask_read", N_("%(category)s, %(village)s: right?\n%(options)s"))
BAD_TYPE_NUMBER = T("bad_type_number", N_("There is no type %(number)s. Reply a number: %(options)s"))
ASK_CATEGORY_START = T("ask_category_start", N_("Report a problem. Which one?\n%(options)s"))
ASK_OTHER = T("ask_other", N_("Not a listed type. Send as %(category)s, %(village)s?\n%(options)s"))
SEND_LABEL = texts.Msg(N_("Send"))
CANCEL_LABEL = texts.Msg(N_("Cancel"))
YES_LABEL = texts.Msg(N_("Yes"))
NO_LABEL = texts.Msg(N_("No"))

SKIP = "0"
"""Answer that skips an optional question."""


class CodeAware(Node):
    """At any village question an 8-digit village code is accepted. An unknown one is said so;
    where the question invites a code on the keypad (``reprompts`` holds the list form), with
    its options again: a USSD screen or a call has nothing else to go on."""

    def take_code(self, ctx: Context, text: str) -> str | None:
        code = places.find_code(text)
        if code is None:
            return None
        village = places.village_by_code(code)
        if village is None:
            listed = VILLAGE_CODE_UNKNOWN_LIST in self.reprompts and not ctx.channel.free_text
            raise Invalid(VILLAGE_CODE_UNKNOWN_LIST if listed else VILLAGE_CODE_UNKNOWN)
        return set_village(ctx, village)

    def answer(self, ctx: Context, text: str) -> str:
        return self.take_code(ctx, text) or super().answer(ctx, text)


def set_village(ctx: Context, village: Village) -> str:
    ctx.data["village"] = village.code
    return "description"


def last_village(ctx: Context) -> Village | None:
    """The village this phone reported from last time (offered first, and it tells apart
    places of the same name)."""
    contact = ctx.contact or (Contact.get_or_none(Contact.phone == ctx.phone) if ctx.phone else None)
    return CATALOG.village(contact.last_village_id) if contact and contact.last_village_id else None


class CategoryNode(Node):
    key, retry_key = ASK_CATEGORY, RETRY_CATEGORY

    def skip(self, ctx):
        if ctx.data.get(EITHER):
            return "either"
        return "village" if ctx.data.get("category") else None

    def question(self, ctx):
        if "type" in ctx.data.get(MISREAD, {}):
            return BAD_TYPE_NUMBER
        return ASK_CATEGORY_START if ctx.data.get(FROM_DIGITS) else self.key

    def params(self, ctx):
        return {"number": ctx.data.get(MISREAD, {}).get("type", "")}

    def options(self, ctx):
        return [Option(category.code, category, category.position) for category in CATALOG.categories()]

    def choose(self, ctx, value):
        ctx.data["category"] = value
        ctx.data.pop(OTHER, None)
        return "village"

    def answer(self, ctx, text):
        if ctx.channel.free_text:
            said = reading.read(text, last_village(ctx))
            code = said.named
            found = [CATALOG.category(code)] if code else places.best_matches(text, CATALOG.categories(), limit=1)
            if found:
                if not any(ctx.data.get(field) for field in ("village", "subdistrict", "candidates")):
                    apply_place(ctx.data, said.place)  # "ขยะล้น หมู่ 2": the place too (named back before filing)
                if "description" not in ctx.data and describes(text):
                    ctx.data["description"] = text
                return self.choose(ctx, found[0].code)
        raise Invalid(RETRY_CATEGORY)


class VillageNode(CodeAware):
    """Remembered village first; else typed names (SMS) or district → subdistrict → moo."""

    reprompts = (VILLAGE_CODE_UNKNOWN_LIST,)  # "อำเภอไหน หรือกดรหัสหมู่บ้าน": a wrong code gets the list again

    def skip(self, ctx):
        if ctx.data.get("village"):
            return "description"
        if ctx.channel.free_text and ctx.data.get("candidates"):
            return "pick"
        if ctx.channel.free_text and ctx.data.get("subdistrict"):
            return "moo"
        return None

    def last_village(self, ctx) -> Village | None:
        return last_village(ctx)

    def question(self, ctx):
        if not ctx.channel.free_text:
            return ASK_DISTRICT
        misread = ctx.data.get(MISREAD, {})
        if "code" in misread:
            return VILLAGE_CODE_UNKNOWN
        if "place" in misread:
            return VILLAGE_NOT_FOUND
        return ASK_VILLAGE_LAST if self.last_village(ctx) else ASK_VILLAGE

    def params(self, ctx):
        return {"example": CATALOG.example_place()}  # a place of the loaded directory

    def options(self, ctx):
        if ctx.channel.free_text and ctx.data.get(MISREAD):
            return []
        last = self.last_village(ctx)
        options = [Option(f"v:{last.code}", places.village_label(last))] if last else []  # บ้านดอนมูล ต.ปัว
        if not ctx.channel.free_text:
            options += [Option(f"d:{d.code}", d) for d in CATALOG.districts()]
        return options

    def choose(self, ctx, value):
        return choose_place(ctx, value)

    def answer(self, ctx, text):
        taken = self.take_code(ctx, text)
        if taken:
            return taken
        if not ctx.channel.free_text:
            raise Invalid(ASK_DISTRICT)
        return search_place(ctx, text, self.last_village(ctx))


def search_place(ctx: Context, text: str, last: Village | None) -> str:
    """The place typed in ``text``: the village, the subdistrict (then its moo is asked) or the
    places to choose from; the next node."""
    found = places.search(text, last)
    if len(found.villages) == 1:
        return set_village(ctx, found.villages[0])
    if len(found.subdistricts) == 1:
        ctx.data.pop("candidates", None)
        ctx.data["subdistrict"] = found.subdistricts[0].code
        return "moo"
    candidates = [f"v:{v.code}" for v in found.villages] + [f"s:{s.code}" for s in found.subdistricts]
    if not candidates:
        raise Invalid(VILLAGE_NOT_FOUND)
    ctx.data["candidates"] = candidates
    return "pick"


class SubdistrictNode(CodeAware):
    key = ASK_SUBDISTRICT

    def options(self, ctx):
        return [Option(sub.code, sub) for sub in CATALOG.subdistricts(ctx.data["district"])]

    def choose(self, ctx, value):
        ctx.data["subdistrict"] = value
        return "moo"


class PickNode(CodeAware):
    """Several places matched what was typed: choose one."""

    key = ASK_PICK

    def options(self, ctx):
        options = []
        for value in ctx.data.get("candidates", []):
            kind, _, code = value.partition(":")
            row = CATALOG.village(code) if kind == "v" else CATALOG.subdistrict(code)
            if row is not None:
                options.append(Option(value, places.village_label(row) if kind == "v" else subdistrict_label(row)))
        return told_apart(options)

    def choose(self, ctx, value):
        return choose_place(ctx, value)

    def answer(self, ctx, text):
        try:
            return super().answer(ctx, text)
        except Invalid:
            if not ctx.channel.free_text or not describes(text):
                raise
            return search_place(ctx, text, last_village(ctx))  # none of these: the place typed again, in words


PLACE_STEPS = {"d": ("district", "subdistrict"), "s": ("subdistrict", "moo")}
"""Option prefix → (what it sets, the next question); ``v:`` is a village and ends the search."""


def choose_place(ctx: Context, value: str) -> str:
    """Apply a place option (``v:``, ``d:`` or ``s:`` + code); the next node."""
    kind, _, code = value.partition(":")
    if kind == "v":
        return set_village(ctx, Village.get_by_id(code))
    field, following = PLACE_STEPS[kind]
    ctx.data[field] = code
    return following


def told_apart(options: list[Option]) -> list[Option]:
    """Villages of the same name in subdistricts of the same name (``บ้านดอนมูล ต.ปัว`` twice)
    are named with their district too: every option reads differently."""
    seen: dict[str, int] = {}
    for option in options:
        seen[option.label["th"]] = seen.get(option.label["th"], 0) + 1
    for option in options:
        kind, _, code = option.value.partition(":")
        if kind == "v" and seen[option.label["th"]] > 1:
            district = CATALOG.village(code).subdistrict.district
            option.label = {language: f"{name}/{texts.localized(district, language)}"
                            for language, name in option.label.items()}
    return options


def subdistrict_label(sub: Subdistrict) -> dict:
    """A subdistrict named with its district, to tell apart places of the same name."""
    return {"th": f"{sub.name_th}/{sub.district.name_th}", "en": f"{sub.name_en}/{sub.district.name_en}"}


class MooNode(CodeAware):
    key = ASK_MOO
    expects = "digits"

    def question(self, ctx):
        return MOO_UNKNOWN if "moo" in ctx.data.get(MISREAD, {}) else self.key

    def params(self, ctx):
        return {"subdistrict": CATALOG.subdistrict(ctx.data["subdistrict"]), "moo": ctx.data.get(MISREAD, {}).get("moo", "")}

    def answer(self, ctx, text):
        taken = self.take_code(ctx, text)
        if taken:
            return taken
        digits = "".join(ch for ch in text if ch.isdigit())
        village = CATALOG.village(f"{ctx.data['subdistrict']}{int(digits):02d}") if digits and len(digits) <= 2 else None
        if village is None:
            raise Invalid(MOO_UNKNOWN, moo=digits[:2] or "?")
        ctx.data.get(MISREAD, {}).pop("moo", None)
        return set_village(ctx, village)


class DescriptionNode(Node):
    """Typed words (a voice call records them instead; the adapter stores the recording)."""

    key = ASK_DESCRIPTION
    expects = "text"

    def question(self, ctx):
        return ASK_RECORDING if ctx.channel.spoken else ASK_DESCRIPTION

    def skip(self, ctx):
        return self.after(ctx) if "description" in ctx.data else None

    @staticmethod
    def after(ctx):
        if ctx.data.get(UNCONFIRMED):
            return "check"
        return "confirm" if ctx.channel.confirm else FINISH

    def answer(self, ctx, text):
        ctx.data["description"] = ctx.data.get("first_text", "") if text == SKIP else text  # cleaned by the engine
        return self.after(ctx)


def named(ctx: Context) -> dict:
    """The draft's type and village, as a question names them back."""
    village = CATALOG.village(ctx.data["village"])
    return {"category": CATALOG.category(ctx.data["category"]), "village": places.village_label(village)}


class ConfirmNode(Node):
    key = ASK_CONFIRM

    def params(self, ctx):
        return named(ctx)

    def options(self, ctx):
        return [Option("send", SEND_LABEL), Option("cancel", CANCEL_LABEL)]

    def choose(self, ctx, value):
        ctx.data["cancelled"] = value == "cancel"
        return FINISH


class CheckNode(Node):
    """Names back the type and the place read from the citizen's words: nothing read is
    filed without a yes. A no asks the type and the place again (the words are kept); words
    instead of a number correct what they name."""

    key = ASK_READ

    def question(self, ctx):
        return ASK_OTHER if ctx.data.get(OTHER) else ASK_READ

    def params(self, ctx):
        return named(ctx)

    def options(self, ctx):
        return [Option("yes", YES_LABEL), Option("no", NO_LABEL)]

    def choose(self, ctx, value):
        ctx.data.pop(UNCONFIRMED, None)
        if value == "yes":
            return DescriptionNode.after(ctx)
        for field in ("category", "village", "subdistrict", "candidates", MISREAD, OTHER):
            ctx.data.pop(field, None)
        return "category"

    def answer(self, ctx, text):
        said = answer_word(text)
        if said is not None:
            return self.choose(ctx, "yes" if said else "no")
        village = CATALOG.village(ctx.data["village"])
        found = reading.read(text, village)  # "หมู่ 2": of the same subdistrict
        if found.named:
            ctx.data["category"] = found.named
            ctx.data.pop(OTHER, None)
        if apply_place(ctx.data, found.place):
            return "village"
        if found.place.moo is not None:  # a moo this subdistrict does not have: ask it, saying so
            apply_place(ctx.data, places.PlaceReading(subdistrict=village.subdistrict_id, moo=found.place.moo))
            return "village"
        if found.named:
            return "check"
        raise Invalid(self.question(ctx))


LIMIT_CHECKED = "limit_checked"
"""Set in a report's data (for this request only) when the channel just checked the phone's
daily limit: filing need not count again."""


def finish(ctx: Context) -> Screen:
    """File the report (or drop it) and answer with the reference."""
    data = ctx.data
    if data.get("cancelled"):
        return Screen(texts.DRAFT_CANCELLED, end=True)
    resident = data.get("resident", ctx.phone)
    try:
        case = lifecycle.file_report(
            CATALOG.category(data["category"]), CATALOG.village(data["village"]), data.get("description", ""),
            reporter_phone=resident, submitter_phone=ctx.phone if resident != ctx.phone else None,
            channel=ctx.channel.name, voice_url=data.get("voice_url"), limit_checked=data.get(LIMIT_CHECKED, False),
        )
    except lifecycle.CaseRefused as refusal:
        return Screen(refusal.key, refusal.params, end=True)
    data["reference"], data["case_id"] = case.reference, case.id
    if getattr(case, "repeated", False):
        return Screen(lifecycle_texts.ALREADY_RECEIVED, {"ref": case.reference}, end=True)
    return Screen(texts.RECEIVED, received_params(case), end=True)


NODES = [
    CategoryNode("category"), EitherNode("either"), VillageNode("village"), SubdistrictNode("subdistrict"), PickNode("pick"),
    MooNode("moo"), DescriptionNode("description"), ConfirmNode("confirm"), CheckNode("check"),
]
REPORT = Flow("report", start="category", nodes={node.name: node for node in NODES}, finish=finish)
"""The report flow, shared by SMS, USSD and voice."""
