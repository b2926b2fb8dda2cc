"""The PDF of a conclusion notice, laid out as Decree 30/2020/NĐ-CP (State documents) and the
Party's own rules (Party documents) lay out an administrative document.

WeasyPrint is imported inside the functions that use it: it needs Pango, and a machine
without Pango must still be able to start the app (only the PDF is then unavailable).
Rendering fetches nothing from the network: the font and the stylesheet are local files,
found through the staticfiles finders, so it works without collectstatic and on closed
networks.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.template.loader import render_to_string

from accounts.models import OrgUnit
from conclusions.models import ConclusionNotice

TEMPLATE = "conclusions/pdf/notice.html"
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
NOT_ISSUED = "Only an issued notice gets its stored PDF; a draft is rendered on demand."
BLANK = "…"

# The level word in front of an area's name ("Phường Bồ Đề" → "Bồ Đề"); longest first.
_LEVEL_WORD = re.compile(r"^(Thị trấn|Thị xã|Thành phố|Đặc khu|Phường|Xã|Quận|Huyện|Tỉnh)\s+", re.IGNORECASE)
# Where a body's name is broken over two lines in the header ("ỦY BAN NHÂN DÂN / PHƯỜNG BỒ ĐỀ").
_LEVEL_WORD_INSIDE = re.compile(
    r"\s+(?=(?:thị trấn|thị xã|thành phố|đặc khu|phường|xã|quận|huyện|tỉnh)\s)", re.IGNORECASE
)
_PARENTHESES = re.compile(r"\s*\([^)]*\)")
_ONE_LINE_HEADER = 22  # characters: a longer body name is broken before its level word


# --- words and dates ----------------------------------------------------------------------


def _clean(name: str) -> str:
    """NFC, without the parenthesised notes that tell old units apart in the tree
    ("Phường Bồ Đề (quận Long Biên, đến 30/6/2025)" → "Phường Bồ Đề")."""
    return " ".join(_PARENTHESES.sub("", unicodedata.normalize("NFC", name)).split())


def place_name(area_name: str) -> str:
    """The place written before the date: the area's name without its level word."""
    return _LEVEL_WORD.sub("", _clean(area_name), count=1)


def vietnamese_date(day: date | None) -> str:
    """ "ngày 05 tháng 02 năm 2026", "ngày 30 tháng 9 năm 2022": days below 10 and the months
    January and February take a leading zero (Decree 30/2020/NĐ-CP, appendix I)."""
    if day is None:
        return f"ngày {BLANK} tháng {BLANK} năm {BLANK}"
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def _upper(text: str) -> str:
    return _clean(text).upper()


def header_lines(body_name: str) -> list[str]:
    """The issuing body in capitals, a long name broken before its (last) level word:
    ["ỦY BAN NHÂN DÂN", "PHƯỜNG BỒ ĐỀ"]."""
    name = _upper(body_name)
    breaks = [match.start() for match in _LEVEL_WORD_INSIDE.finditer(name)]
    if len(name) <= _ONE_LINE_HEADER or not breaks:
        return [name]
    return [name[: breaks[-1]].strip(), name[breaks[-1] :].strip()]


def _starts_with(name: str, prefix: str) -> bool:
    # "Ủy" and the older spelling "Uỷ" are the same word.
    def fold(text: str) -> str:
        return unicodedata.normalize("NFC", text).casefold().replace("uỷ", "ủy")

    return fold(name).startswith(fold(prefix))


def _collective(body: OrgUnit) -> str:
    """The collective a "TM." signature speaks for."""
    name = _clean(body.name)
    if _starts_with(name, "Ủy ban nhân dân"):
        return "ỦY BAN NHÂN DÂN"
    if _starts_with(name, "Đảng ủy"):
        return "ĐẢNG ỦY"
    return name.upper()


_HEAD_TITLES = {
    OrgUnit.Kind.PEOPLES_COMMITTEE: "CHỦ TỊCH",
    OrgUnit.Kind.PEOPLES_COUNCIL: "CHỦ TỊCH",
    OrgUnit.Kind.FATHERLAND_FRONT: "CHỦ TỊCH",
    OrgUnit.Kind.PARTY_COMMITTEE: "BÍ THƯ",
}


def _head_title(body: OrgUnit, signer_title: str) -> str:
    """The head a "KT." or "TL." signature signs for: the body's head by kind, else the
    signer's title without "PHÓ" (a deputy signs for the head)."""
    if body.kind in _HEAD_TITLES:
        return _HEAD_TITLES[body.kind]
    return re.sub(r"^PHÓ\s+", "", signer_title) or signer_title


# Party documents write the signing mode with a slash (Hướng dẫn 36-HD/VPTW): "T/M", "K/T".
_PARTY_SIGN_MODES = {"TM.": "T/M", "KT.": "K/T", "TL.": "T/L"}


def signature_lines(notice: ConclusionNotice) -> list[str]:
    """["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"] or ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]; a Party
    notice: ["T/M ĐẢNG ỦY", "BÍ THƯ"]."""
    title = _upper(notice.signer_title)
    mode = _PARTY_SIGN_MODES.get(notice.sign_mode, notice.sign_mode) if notice.is_party else notice.sign_mode
    if notice.sign_mode == ConclusionNotice.SignMode.ON_BEHALF:
        return [f"{mode} {_collective(notice.issuing_body)}", title]
    return [f"{mode} {_head_title(notice.issuing_body, title)}", title]


def recipient_lines(lines: list[str]) -> list[str]:
    """ "- UBND quận;" … "- Lưu: VT." — a dash in front, ";" after each, "." after the last,
    and the office copy ("Lưu: VT") always last."""
    cleaned = [unicodedata.normalize("NFC", line).strip().lstrip("-–—+•* ").rstrip(" ;,.") for line in lines]
    cleaned = [line for line in cleaned if line]
    if not any(re.match(r"lưu\b", line.casefold()) for line in cleaned):
        cleaned.append("Lưu: VT")
    return [f"- {line}{'.' if index == len(cleaned) - 1 else ';'}" for index, line in enumerate(cleaned)]


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- the document -------------------------------------------------------------------------


def _area_of(notice: ConclusionNotice) -> OrgUnit:
    return notice.area if notice.area_id else notice.issuing_body.area


def _area_above(area: OrgUnit) -> OrgUnit | None:
    unit = area.parent
    while unit is not None and not unit.is_area:
        unit = unit.parent
    return unit


def _number_text(notice: ConclusionNotice, draft: bool) -> str:
    symbol = notice.issuing_body.symbol or "UBND"
    if notice.is_party:
        return f"Số {BLANK}-TB/{symbol}" if draft or not notice.number_label else f"Số {notice.number_label}"
    return f"Số: {BLANK}/TB-{symbol}" if draft or not notice.number_label else f"Số: {notice.number_label}"


def _amends_text(notice: ConclusionNotice) -> str:
    amended = notice.amends
    if amended is None:
        return ""
    when = f" ngày {amended.issued_on:%d/%m/%Y}" if amended.issued_on else ""
    return f"(Đính chính Thông báo số {amended.number_label or BLANK}{when})"


def notice_context(notice: ConclusionNotice, *, draft: bool) -> dict:
    area = _area_of(notice)
    parent = _area_above(area) if notice.is_party else None
    items = [
        {"position": item.position, "paragraphs": _paragraphs(item.text) or [""]}
        for item in notice.items.all()
    ]
    return {
        "notice": notice,
        "draft": draft,
        "party": notice.is_party,
        "parent_org": f"ĐẢNG BỘ {_upper(parent.name)}" if parent else "",
        "issuer_lines": header_lines(notice.issuing_body.name),
        "number_text": _number_text(notice, draft),
        "place_date": f"{place_name(area.name)}, {vietnamese_date(None if draft else notice.issued_on)}",
        "summary": notice.summary.strip(),
        "amends_text": _amends_text(notice),
        "preamble": _paragraphs(notice.preamble),
        "items": items,
        "closing": _paragraphs(notice.closing),
        "recipients": recipient_lines(notice.recipient_lines),
        "signature_lines": signature_lines(notice),
        "signer_name": notice.signer.full_name or notice.signer.get_username(),
    }


@cache
def _static_file(name: str) -> Path:
    found = finders.find(name)
    if not found:
        raise ImproperlyConfigured(f"Static file {name} not found: the notice PDF needs it.")
    return Path(found)


@cache
def _font_face_css() -> str:
    return "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{_static_file(name).as_uri()}"); '
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


def render_notice_pdf(notice: ConclusionNotice, *, draft: bool | None = None) -> bytes:
    """The notice as A4 PDF bytes; a draft (the default for a notice not yet issued) carries
    "DỰ THẢO" and leaves the number and the date blank."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    if draft is None:
        draft = not notice.is_issued
    html = render_to_string(TEMPLATE, notice_context(notice, draft=draft))
    stylesheet = _static_file(STYLESHEET)
    fetcher = local_url_fetcher()
    fonts = FontConfiguration()
    stylesheets = [
        CSS(string=_font_face_css(), font_config=fonts, url_fetcher=fetcher),
        CSS(filename=stylesheet, font_config=fonts, url_fetcher=fetcher),
    ]
    document = HTML(string=html, base_url=stylesheet.parent.parent.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=stylesheets, font_config=fonts)


def pdf_file_name(notice: ConclusionNotice) -> str:
    """thong-bao-15-TB-UBND.pdf: the number, never a slash (upload_to adds the folders)."""
    return f"thong-bao-{notice.number_label.replace('/', '-')}.pdf"


def notice_pdf_store(*, notice: ConclusionNotice) -> None:
    """Render the issued notice once, store it and its SHA-256. The notice is otherwise
    immutable, so only `pdf` and `pdf_sha256` are written, and only if still empty: a second
    call, or a second worker racing this one, changes nothing."""
    if not notice.is_issued:
        raise ValueError(NOT_ISSUED)
    if notice.pdf_sha256:
        return
    data = render_notice_pdf(notice, draft=False)
    digest = hashlib.sha256(data).hexdigest()
    field = notice.pdf
    name = field.storage.save(
        field.field.generate_filename(notice, pdf_file_name(notice)), ContentFile(data), max_length=255
    )
    stored = ConclusionNotice.objects.filter(pk=notice.pk, pdf_sha256="").update(pdf=name, pdf_sha256=digest)
    if not stored:  # another worker was faster: keep its file, drop ours
        field.storage.delete(name)
        notice.refresh_from_db(fields=["pdf", "pdf_sha256"])
        return
    notice.pdf.name, notice.pdf_sha256 = name, digest
