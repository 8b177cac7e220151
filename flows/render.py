"""Screens as text (an SMS or a USSD screen), and how many options fit on one page."""
from __future__ import annotations

from cases import segments, texts
from cases.i18n import N_, gettext

from .engine import BACK, MORE, Context, Option, Screen

ITEM = N_("%(number)s.%(label)s")
MORE_ITEM = N_("%(number)s.More")
BACK_ITEM = N_("%(number)s.Back")


def _items(screen: Screen, ctx: Context, options: list[Option], more: bool, back: bool) -> list[str]:
    language = ctx.language
    items = [
        gettext(language, ITEM, number=index, label=texts.localized(option.label, language))
        for index, option in enumerate(options, start=1)
    ]
    if more:
        items.append(gettext(language, MORE_ITEM, number=MORE))
    if back:
        items.append(gettext(language, BACK_ITEM, number=BACK))
    return items


def options_text(screen: Screen, ctx: Context, options=None, more=None, back=None) -> str:
    """The options of ``screen`` as one line (SMS) or one per line (USSD)."""
    items = _items(
        screen, ctx, screen.options if options is None else options,
        screen.more if more is None else more, screen.back if back is None else back,
    )
    return ("\n" if ctx.channel.ussd else " ").join(items)


def text(screen: Screen, ctx: Context) -> str:
    """The whole screen as text."""
    params = dict(screen.params)
    if screen.options or "options" in params or screen.more or screen.back:
        params["options"] = options_text(screen, ctx)
    if ctx.channel.ussd:  # a USSD screen is measured by the pager against its own limit
        return texts.fill(ctx.language, screen.key, **params)
    return texts.render(ctx.language, screen.key, **params)


USSD_PREFIX = "CON "
"""Counted in every USSD screen: some gateways show the page with it, so we never rely on it
being stripped."""


def fits(text_: str, ctx: Context) -> bool:
    """True when ``text_`` fits the channel's screen (one SMS segment, or a USSD page)."""
    if ctx.channel.ussd:
        return segments.fits(USSD_PREFIX + text_, ussd=True)
    return segments.fits(text_)


def text_pager(screen: Screen, ctx: Context, options: list[Option], first: int) -> tuple[int, bool]:
    """Fill a page from ``first`` with as many options as fit the screen: (count, more after)."""
    rest = options[first:]
    back = first > 0
    if len(rest) <= 9 and _fits(screen, ctx, rest, False, back):
        return len(rest), False
    count = 1
    while count < min(ctx.channel.page_size, len(rest)) and _fits(screen, ctx, rest[: count + 1], True, back):
        count += 1
    return count, True


def _fits(screen: Screen, ctx: Context, options, more: bool, back: bool) -> bool:
    if ctx.channel.spoken:
        return True
    params = {**screen.params, "options": options_text(screen, ctx, options, more, back)}
    return fits(texts.fill(ctx.language, screen.key, **params), ctx)
