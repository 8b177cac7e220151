"""Screens as text (an SMS or a USSD screen), and how many options fit on one page."""
from __future__ import annotations

from cases.language import fitting, segments, texts
from cases.language.i18n import N_, gettext

from .engine import MORE, Context, Option, Screen, numbered

ITEM = N_("%(number)s.%(label)s")
MORE_ITEM = N_("%(number)s.More")
FIRST_PAGE_ITEM = N_("%(number)s.First page")


def options_text(screen: Screen, ctx: Context, options=None, more=None, back=None, labels=None) -> str:
    """The options of ``screen`` as one line (SMS) or one per line (USSD); ``labels``: the
    labels as shown (default: each option's label in full)."""
    language = ctx.language
    options = screen.options if options is None else options
    if labels is None:
        labels = [texts.localized(option.label, language) for option in options]
    items = [gettext(language, ITEM, number=option.number, label=label)
             for option, label in zip(numbered(options), labels)]
    if screen.more if more is None else more:
        items.append(gettext(language, MORE_ITEM, number=MORE))
    elif screen.back if back is None else back:
        items.append(gettext(language, FIRST_PAGE_ITEM, number=MORE))
    return ("\n" if ctx.channel.ussd else " ").join(items)


def fitted_labels(screen: Screen, ctx: Context) -> list[str]:
    """The labels of the screen's options as shown: directory names cut (the longest first)
    when the page would not fit otherwise (a long name alone on its page)."""
    language = ctx.language
    labels = [texts.localized(option.label, language) for option in screen.options]
    names = {index: found for index, option in enumerate(screen.options)
             if (found := texts.name(option.label, language)) is not None}

    def compose(shown: dict[int, str]) -> str:
        line = options_text(screen, ctx, labels=[shown.get(index, label) for index, label in enumerate(labels)])
        return texts.fill(language, screen.key, **{**screen.params, "options": line})

    fitted = fitting.fit_names(names, compose, lambda text_: fits(text_, ctx))
    return [fitted.get(index, label) for index, label in enumerate(labels)]


def text(screen: Screen, ctx: Context) -> str:
    """The whole screen as text, fitted to the channel's screen (names shortened, see
    ``cases.language.texts.fit_values``)."""
    params = dict(screen.params)
    if screen.options or "options" in params or screen.more or screen.back:
        params["options"] = options_text(screen, ctx, labels=fitted_labels(screen, ctx))
    return texts.render_fitted(ctx.language, screen.key, params, lambda text_: fits(text_, ctx))[0]


USSD_PREFIX = "CON "
"""Counted in every USSD screen: some gateways show the page with it, so we never rely on it
being stripped."""


def fits(text_: str, ctx: Context) -> bool:
    """True when ``text_`` fits the channel's screen (one SMS segment, or a USSD page)."""
    if ctx.channel.ussd:
        return segments.fits(USSD_PREFIX + text_, ussd=True)
    return segments.fits(text_)


def text_pager(screen: Screen, ctx: Context, options: list[Option], first: int) -> tuple[int, bool]:
    """Fill a page from ``first`` with as many options as fit the screen (and the other
    templates in ``screen.also``): (count, more after). The options keep their numbers."""
    rest = options[first:]
    back = first > 0
    if len(rest) <= ctx.channel.page_size + 1 and _fits(screen, ctx, rest, False, back):
        return len(rest), False
    count = 1
    while count < min(ctx.channel.page_size, len(rest)) and _fits(screen, ctx, rest[: count + 1], True, back):
        count += 1
    return count, True


def _fits(screen: Screen, ctx: Context, options, more: bool, back: bool) -> bool:
    """Whether these options, labels in full, fit the screen (its other names may give way)."""
    if ctx.channel.spoken:
        return True
    line = options_text(screen, ctx, options, more, back)
    for key in (screen.key, *screen.also):
        params = {**screen.params, "options": line}
        shown = texts.fit_values(ctx.language, key, params, lambda text_: fits(text_, ctx))
        if not fits(texts.fill(ctx.language, key, **shown), ctx):
            return False
    return True
