"""The one WeasyPrint engine of every official document (the conclusion notice, the transfer
slip of a petition, the reports): A4 with the shipped Liberation Serif embedded and the
Decree 30 stylesheet (static/css/notice-pdf.css), fetching nothing from the network. The
documents themselves (templates, numbering, signatures) live in their apps.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string

STYLESHEET = "css/notice-pdf.css"
# Not plain "Liberation Serif": fontconfig matches family names ignoring case and blanks, so
# a system copy could be picked instead of ours. This name only our @font-face rules carry;
# the PDF then lists its fonts as "LiberationSerif-DoiThoai", "LiberationSerif-DoiThoai-Bold"…
FONT_FAMILY = "LiberationSerif DoiThoai"
FONT_FILES = {
    ("normal", "normal"): "fonts/LiberationSerif-Regular.ttf",
    ("bold", "normal"): "fonts/LiberationSerif-Bold.ttf",
    ("normal", "italic"): "fonts/LiberationSerif-Italic.ttf",
    ("bold", "italic"): "fonts/LiberationSerif-BoldItalic.ttf",
}
ALLOWED_URL_SCHEMES = frozenset({"file", "data"})
_LEVEL_WORD = re.compile(r"^(Thị trấn|Thị xã|Thành phố|Đặc khu|Phường|Xã|Quận|Huyện|Tỉnh)\s+", re.IGNORECASE)
_PARENTHESES = re.compile(r"\s*\([^)]*\)")


def clean_name(name: str) -> str:
    """NFC, without the parenthesised notes that tell old units apart in the tree
    ("Phường Bồ Đề (quận Long Biên, đến 30/6/2025)" → "Phường Bồ Đề")."""
    return " ".join(_PARENTHESES.sub("", unicodedata.normalize("NFC", name)).split())


def place_name(area_name: str, *, named_after_person_or_event: bool = False) -> str:
    """The place written before the date: "Phường Bồ Đề" → "Bồ Đề". Decree 30/2020/NĐ-CP,
    Phụ lục I: a unit named after a person, a number or a historical event keeps its full name
    ("Phường Hai Bà Trưng", "Phường 5"); a number is seen here, a person or an event is the
    area's `OrgUnit.named_after_person_or_event` (data: no list of names could be complete)."""
    name = clean_name(area_name)
    short = _LEVEL_WORD.sub("", name, count=1)
    if named_after_person_or_event or short == name or short[:1].isdigit():
        return name
    return short


# Where a body's name is broken over two lines in the header ("ỦY BAN NHÂN DÂN / PHƯỜNG BỒ ĐỀ").
_LEVEL_WORD_INSIDE = re.compile(
    r"\s+(?=(?:thị trấn|thị xã|thành phố|đặc khu|phường|xã|quận|huyện|tỉnh)\s)", re.IGNORECASE
)
_ONE_LINE_HEADER = 22  # characters: a longer body name is broken before its level word


def header_lines(body_name: str) -> list[str]:
    """The issuing body in capitals, a long name broken before its (last) level word:
    ["ỦY BAN NHÂN DÂN", "PHƯỜNG BỒ ĐỀ"]."""
    name = clean_name(body_name).upper()
    breaks = [match.start() for match in _LEVEL_WORD_INSIDE.finditer(name)]
    if len(name) <= _ONE_LINE_HEADER or not breaks:
        return [name]
    return [name[: breaks[-1]].strip(), name[breaks[-1] :].strip()]


BLANK = "…"


def vietnamese_date(day: date | None) -> str:
    """ "ngày 05 tháng 02 năm 2026", "ngày 30 tháng 9 năm 2022": days below 10 and the months
    January and February take a leading zero (Decree 30/2020/NĐ-CP, appendix I); no day (a
    draft) leaves the blanks to fill by hand."""
    if day is None:
        return f"ngày {BLANK} tháng {BLANK} năm {BLANK}"
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


@cache
def static_path(name: str) -> Path:
    found = finders.find(name)
    if not found:
        raise ImproperlyConfigured(f"Static file {name} not found: the PDF needs it.")
    return Path(found)


@cache
def font_face_css() -> str:
    return "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{static_path(name).as_uri()}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for (weight, style), name in FONT_FILES.items()
    )


def local_url_fetcher():
    """A WeasyPrint URL fetcher that reads local files and data: URLs and refuses anything
    else, so a document can never make the worker fetch from the network."""
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower() if ":" in url else ""
            if scheme not in ALLOWED_URL_SCHEMES:
                raise ValueError(f"Refused to fetch {url!r}: only local files are read.")
            return super().fetch(url, headers)

    return LocalOnlyFetcher(allowed_protocols=ALLOWED_URL_SCHEMES)


def render_document(template: str, context: dict, *, extra_css: str = ""):
    """The template laid out as WeasyPrint pages (boxes with their computed styles), with the
    official stylesheet and font, and `extra_css` (a document's own rules) after them."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string(template, context)
    stylesheet = static_path(STYLESHEET)
    fetcher = local_url_fetcher()
    fonts = FontConfiguration()
    stylesheets = [
        CSS(string=font_face_css(), font_config=fonts, url_fetcher=fetcher),
        CSS(filename=stylesheet, font_config=fonts, url_fetcher=fetcher),
    ]
    if extra_css:
        stylesheets.append(CSS(string=extra_css, font_config=fonts, url_fetcher=fetcher))
    document = HTML(string=html, base_url=stylesheet.parent.parent.as_uri() + "/", url_fetcher=fetcher)
    return document.render(stylesheets=stylesheets, font_config=fonts)


def render_pdf(template: str, context: dict, *, extra_css: str = "") -> bytes:
    """The template rendered to A4 PDF bytes with the official stylesheet and font, and
    `extra_css` (a document's own rules, e.g. a report's tables) after them."""
    return render_document(template, context, extra_css=extra_css).write_pdf()


PX_TO_PT = 0.75  # CSS pixels (1/96 in) to PDF points (1/72 in)


@dataclass(frozen=True)
class Place:
    """A rectangle on a page, in PDF points from the page's lower-left corner."""

    page: int
    left: float
    bottom: float
    right: float
    top: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom


def element_place(document, element_id: str) -> Place | None:
    """Where the element with this id was laid out (its first box, on the first page it
    reaches): how a signature's appearance finds the space left for it in the template."""
    for index, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None or element.get("id") != element_id:
                continue
            top = box.border_box_y()
            bottom = top + box.border_height()
            return Place(
                page=index,
                left=box.border_box_x() * PX_TO_PT,
                bottom=(page.height - bottom) * PX_TO_PT,
                right=(box.border_box_x() + box.border_width()) * PX_TO_PT,
                top=(page.height - top) * PX_TO_PT,
            )
    return None
