"""QR codes printed on documents, made by segno (pure Python, no network): an SVG data URI
that WeasyPrint draws as vectors, so it stays sharp when printed and scanned."""

from __future__ import annotations


def qr_svg_data_uri(text: str) -> str:
    import segno

    # Error correction M: a printed, stamped and photocopied page still scans.
    return segno.make(text, error="m", micro=False).svg_data_uri(scale=4, border=2)
