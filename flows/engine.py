"""The one engine that runs every flow on every channel.

A flow is data: named nodes, each a question with numbered options and/or typed input.
The engine keeps the state (a JSON-able dict), pages long option lists to fit the
channel's screen (``0`` the next page, from the last page the first again), re-asks on a
wrong answer (the same page) and hands each channel a ``Screen`` that its adapter turns into
an SMS, a USSD ``CON``/``END`` or speech. An option keeps its number on every page and
channel (a type's number is its menu position), and any option's number is accepted on
any page.
"""
from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Callable

from cases.language.keywords import Said, clean
from cases.language.lexicon import without_particles
from cases.store.models import Contact

FINISH = "finish"
"""Next-node name that ends the flow with its ``finish`` screen."""
MORE = "0"
"""The key that shows the next page of a long list (on the last page: the first again);
never an option's number (options are numbered from 1)."""
MAX_CHOICE_DIGITS = 3
"""Longer runs of digits are never an option number (a village code, a phone)."""
STAY = object()
"""Returned by a node to ask its question again (after paging)."""


@dataclass(frozen=True)
class Channel:
    """What a channel can do: typed words or keys only, screen size, confirmation."""

    name: str
    free_text: bool = False  # people can type words (SMS)
    confirm: bool = False  # ask before filing (menus on USSD and voice)
    ussd: bool = False  # screens measured against the USSD limits
    spoken: bool = False  # no screen at all: pages are cut by count only
    page_size: int = 8  # at most this many options on a page of a long list
    max_failures: int | None = None  # end the session after this many wrong answers in a row


@dataclass
class Option:
    value: str
    label: object  # text, or a directory row shown by its name in the phone's language
    number: int | None = None  # the key that picks it (default: its place in the list, from 1)


def numbered(options: list[Option]) -> list[Option]:
    """``options`` with their numbers set: a given number is kept, else its place from 1."""
    return [option if option.number else Option(option.value, option.label, index)
            for index, option in enumerate(options, start=1)]


@dataclass
class Screen:
    """One question or answer for a channel to show, say or send."""

    key: str  # template key (cases.language.texts)
    params: dict = field(default_factory=dict)
    options: list[Option] = field(default_factory=list)  # this page's, each with its number
    more: bool = False  # MORE shows the next page
    back: bool = False  # MORE shows the first page again (this is the last of several)
    end: bool = False  # the conversation is over
    expects: str = "choice"  # "choice", "text", "digits" or "recording"
    also: tuple[str, ...] = ()  # other templates this page must fit too (the re-prompt)


class Invalid(Exception):
    """A wrong answer: re-ask with the template ``key``."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass
class Context:
    """Who is talking, on which channel and in which language, and the answers so far."""

    phone: str | None
    channel: Channel
    language: str
    data: dict = field(default_factory=dict)
    contact: Contact | None = None  # the phone's contact row, when the channel read it already
    unit: Callable[[], AbstractContextManager] | None = None  # the channel's unit of work, when only a step that writes opens it

    def writing(self) -> AbstractContextManager:
        """Where a step writes: the channel's unit of work, or the one already open around it."""
        return self.unit() if self.unit else nullcontext()


class Node:
    """A question. Subclasses give options and/or accept typed answers."""

    expects = "choice"
    key = ""  # template of the question
    retry_key = ""  # template when the answer was wrong (defaults to ``key``)
    reprompts: tuple[str, ...] = ()  # other templates a wrong answer may re-ask with (pages fit them too)

    def __init__(self, name: str):
        self.name = name

    def question(self, ctx: Context) -> str:
        """The template of the question (some nodes ask differently per channel)."""
        return self.key

    def skip(self, ctx: Context) -> str | None:
        """The next node when this question is already answered, else None."""
        return None

    def params(self, ctx: Context) -> dict:
        return {}

    def options(self, ctx: Context) -> list[Option]:
        return []

    def choose(self, ctx: Context, value: str) -> str:
        """The next node after the option ``value`` was picked."""
        raise NotImplementedError(f"{type(self).__name__} has options but no choose()")

    def answer(self, ctx: Context, text: str) -> str:
        """The next node after a typed answer that is not an option number."""
        raise Invalid(self.retry_key or self.question(ctx))


@dataclass
class Flow:
    name: str
    start: str
    nodes: dict[str, Node]
    finish: Callable[[Context], Screen]


Pager = Callable[[Screen, Context, list[Option], int], tuple[int, bool]]
"""(screen, context, all options, first index) → (how many fit on this page, more after it)."""


class Engine:
    """Runs flows: ``start`` a flow, then feed each answer to ``step``."""

    def __init__(self, flows: dict[str, Flow], pager: Pager):
        self.flows = flows
        self.pager = pager

    def start(self, flow_name: str, ctx: Context) -> tuple[Screen, dict | None]:
        """The first screen of ``flow_name`` and the state to keep (None when it ended)."""
        flow = self.flows[flow_name]
        state = {"flow": flow_name, "node": None, "page": 0, "pages": [0], "visible": [], "fails": 0}
        return self._enter(flow, flow.start, state, ctx)

    def step(self, state: dict, text: str | Said, ctx: Context) -> tuple[Screen, dict | None]:
        """Apply one answer (raw text, or a ``Said`` already cleaned at the door); the next
        screen and the state to keep (None when it ended)."""
        flow = self.flows[state["flow"]]
        node = flow.nodes[state["node"]]
        answer = text.text if isinstance(text, Said) else clean(text)
        try:
            following = self._answer(node, state, answer, ctx)
        except Invalid as error:
            state["fails"] += 1
            limit = ctx.channel.max_failures
            if limit and state["fails"] >= limit:
                return Screen("too_many_tries", end=True), None
            return self._ask(node, state, ctx, error.key, error.params), state
        state["fails"] = 0
        if following is STAY:
            return self._ask(node, state, ctx), state
        state["page"], state["pages"] = 0, [0]
        return self._enter(flow, following, state, ctx)

    def _answer(self, node: Node, state: dict, answer: str, ctx: Context):
        number = without_particles(answer)  # "1 ค่ะ" picks 1
        if number == MORE and (state.get("more") or state["page"] > 0):
            state["page"] = state["page"] + 1 if state.get("more") else 0
            return STAY
        if number.isdigit() and len(number) <= MAX_CHOICE_DIGITS and state.get("visible"):
            chosen = next((option.value for option in numbered(node.options(ctx)) if option.number == int(number)), None)
            if chosen is not None:
                return node.choose(ctx, chosen)
        if not answer:
            raise Invalid(node.retry_key or node.question(ctx))
        return node.answer(ctx, answer)

    def _enter(self, flow: Flow, name: str, state: dict, ctx: Context):
        while name != FINISH:
            node = flow.nodes[name]
            following = node.skip(ctx)
            if following is None:
                state["node"] = name
                return self._ask(node, state, ctx), state
            name = following
        return flow.finish(ctx), None

    def _ask(self, node: Node, state: dict, ctx: Context, key: str | None = None, params: dict | None = None) -> Screen:
        shown = {**node.params(ctx), **(params or {})}
        screen = Screen(key or node.question(ctx), shown, expects=node.expects)
        options = numbered(node.options(ctx))
        if options:
            starts = state.setdefault("pages", [0])
            page = min(state["page"], len(starts) - 1)
            first = starts[page]
            question = node.question(ctx)  # the page is laid out alike for the question and its re-prompt
            also = tuple(dict.fromkeys(key for key in (node.retry_key, *node.reprompts, screen.key) if key and key != question))
            layout = Screen(question, shown, also=also)
            count, screen.more = self.pager(layout, ctx, options, first)
            screen.back = page > 0 and not screen.more
            screen.options = options[first:first + count]
            if screen.more and len(starts) == page + 1:
                starts.append(first + count)
            state["page"] = page
        state["visible"] = [option.value for option in screen.options]
        state["more"] = screen.more
        return screen
