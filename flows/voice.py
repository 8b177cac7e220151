"""The voice menu: the same menu flow as USSD, spoken; keys pressed are the answers.

The engine's state is kept per call (``CallSid``) in the session store. Speech comes from
the same templates as the screens, with the options read as "press 1 for …" and a
reference read digit by digit."""
from __future__ import annotations

from dataclasses import dataclass

from cases.language import style, texts
from cases.language.i18n import N_, gettext
from cases.messages.outbox import language_of

from .engine import MORE, Context, Screen
from .menu import ENGINE, MENU, VOICE
from .report import SKIP
from .sessions import RedisStore

# Spoken only (never sent as SMS), so not in the SMS template registry:
VOICE_RECEIVED = N_("Thank you. Your ref number is %(ref)s. Again: %(ref)s. We also sent it by SMS.")
CALL_LOST = N_("Sorry, we lost your place. Let us start again.")
SPOKEN_ITEM = N_("Press %(number)s for %(label)s.")
SPOKEN_MORE = N_("Press %(number)s for more.")
SPOKEN_FIRST = N_("Press %(number)s to hear the list from the start.")
SPOKEN_DIGITS_END = N_("Then press the hash key.")


@dataclass
class Turn:
    """What to say, and how the caller answers it."""

    text: str
    language: str
    expects: str  # "choice" (keys), "digits" (keys then #), "text" (a recording)
    end: bool
    keys: int = 1  # a choice: the most keys its numbers take (then # or a pause ends it)


def call_key(call_sid: str) -> str:
    return f"voice:call:{call_sid}"


def spoken_digits(number: str) -> str:
    """``1234567`` → ``1 2 3 4 5 6 7``: text-to-speech then reads each digit."""
    return " ".join(number)


def keys_of(screen: Screen) -> int:
    """How many keys the longest option number of ``screen`` takes."""
    return max((len(str(option.number)) for option in screen.options), default=1)


def speech(screen: Screen, ctx: Context) -> str:
    """The screen as one spoken text: options as "press 1 for …" (a number of two keys read
    key by key), the reference digit by digit, abbreviations and slashes said in full
    (``cases.language.style.spoken``), and "then press #" after a question answered with digits."""
    language = ctx.language
    params = {name: texts.localized(value, language) for name, value in screen.params.items()}
    if "ref" in params:
        params["ref"] = spoken_digits(str(params["ref"]))
    items = [
        gettext(language, SPOKEN_ITEM, number=spoken_digits(str(option.number)),
                label=texts.localized(option.label, language))
        for option in screen.options
    ]
    two_keys = not screen.end and keys_of(screen) > 1
    if two_keys:  # right after the options it is for, not after "press 0 for more"
        items.append(gettext(language, SPOKEN_DIGITS_END))
    if screen.more:
        items.append(gettext(language, SPOKEN_MORE, number=MORE))
    elif screen.back:
        items.append(gettext(language, SPOKEN_FIRST, number=MORE))
    if items or screen.options:
        params["options"] = " ".join(items)
    if screen.key == texts.RECEIVED:
        text = gettext(language, VOICE_RECEIVED, ref=params["ref"])
    else:
        text = texts.fill(language, screen.key, **params)
    if not screen.end and screen.expects == "digits" and not two_keys:
        text = f"{text} {gettext(language, SPOKEN_DIGITS_END)}"
    return style.spoken(text)


def start(call_sid: str, phone: str, store: RedisStore, preface: str = "") -> Turn:
    """The first menu of a call."""
    ctx = Context(phone, VOICE, language_of(phone))
    screen, state = ENGINE.start(MENU.name, ctx)
    return _keep(call_sid, ctx, screen, state, store, preface)


def step(call_sid: str, phone: str, keys: str, store: RedisStore, recording_url: str | None = None) -> Turn:
    """Apply the keys pressed (or a recording) and say what comes next."""
    record = store.get(call_key(call_sid))
    if record is None:  # the session expired or Redis lost it: start the menu again
        return start(call_sid, phone, store, preface=gettext(language_of(phone), CALL_LOST))
    ctx = Context(phone, VOICE, language_of(phone), data=record["data"])
    if recording_url:
        ctx.data["voice_url"] = recording_url
        keys = SKIP
    screen, state = ENGINE.step(record, keys, ctx)
    return _keep(call_sid, ctx, screen, state, store)


def _keep(call_sid, ctx, screen, state, store, preface="") -> Turn:
    if state is None:
        store.delete(call_key(call_sid))
    else:
        state["data"] = ctx.data
        store.set(call_key(call_sid), state)
    text = f"{preface} {speech(screen, ctx)}".strip()
    return Turn(text, ctx.language, screen.expects, screen.end, keys_of(screen))
