"""Charts of the statistics page, drawn on the server as SVG (pygal) and inlined in the page.

No JavaScript at all: pygal links its tooltip script from a CDN unless ``js=[]``, and still
writes an inline config script, which is dropped here with its comments; values are printed
on the bars instead of shown in tooltips. Labels use the Thai fonts the page uses.
"""
from __future__ import annotations

import re

import pygal
from markupsafe import Markup
from pygal.style import Style

FONTS = '"Loma", "Garuda", "Norasi", "Tahoma", sans-serif'
STYLE = Style(
    font_family=FONTS, label_font_family=FONTS, major_label_font_family=FONTS, value_font_family=FONTS,
    value_label_font_family=FONTS, title_font_family=FONTS, legend_font_family=FONTS,
    background="#ffffff", plot_background="#ffffff", foreground="#222222", foreground_strong="#222222",
    foreground_subtle="#888888", colors=("#1d4e5f", "#5c9e6a", "#d98c2b", "#8a5a9e", "#b00020", "#4a7fb0"),
    title_font_size=15, label_font_size=12, major_label_font_size=12, value_font_size=13, legend_font_size=12,
    value_colors=("#ffffff",) * 6,
)
OPTIONS = dict(
    style=STYLE, js=[], disable_xml_declaration=True, width=640, height=280, show_legend=False,
    print_values=True, print_zeroes=False, margin=8, spacing=6, show_y_guides=True,
)
"""Every chart: no script links, no XML declaration (inlined in HTML), values printed."""
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def inline(chart) -> Markup:
    """The chart as an ``<svg>`` element to put in the page, without scripts or comments."""
    svg = chart.render(is_unicode=True)
    svg = _COMMENT.sub("", _SCRIPT.sub("", svg))
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))


MANY_BARS = 20
"""Past this many bars, values are not printed on them and only every few labels are shown
(a long period stays readable and light)."""


def bars(title: str, labels: list[str], values: list[int], rotate: bool = False, color: int = 0) -> Markup:
    """A bar chart of counts: one bar per label."""
    style = Style(**{**STYLE.to_dict(), "colors": STYLE.colors[color:] + STYLE.colors[:color]})
    many = len(labels) > MANY_BARS
    chart = pygal.Bar(**{**OPTIONS, "style": style, "print_values": not many}, title=title,
                      x_label_rotation=30 if rotate else 0, range=(0, max([*values, 1])), min_scale=1, max_scale=6,
                      order_min=0, x_labels_major_every=-(-len(labels) // MANY_BARS) if many else None,
                      show_minor_x_labels=not many)
    chart.x_labels = labels
    chart.add(title, values)
    return inline(chart)


def horizontal_bars(title: str, labels: list[str], values: list[int], color: int = 0) -> Markup:
    """A horizontal bar chart of counts (long labels, such as channels), the first label on top."""
    style = Style(**{**STYLE.to_dict(), "colors": STYLE.colors[color:] + STYLE.colors[:color]})
    chart = pygal.HorizontalBar(**{**OPTIONS, "style": style, "height": 60 + 34 * len(labels)}, title=title,
                                range=(0, max([*values, 1])), min_scale=1, max_scale=6, order_min=0)
    chart.x_labels = labels[::-1]  # pygal draws the first label at the bottom
    chart.add(title, values[::-1])
    return inline(chart)
