"""Digital signatures (chữ ký số) of the official documents: PAdES signatures put into a
rendered PDF by pyHanko, and their validation. No cryptography of our own: keys stay in a
PKCS#12 file or on a PKCS#11 token/HSM, pyHanko signs and validates.

Two signatures, in the order an office applies them (Decree 30/2020/NĐ-CP, Article 8 and
Phụ lục I): the signer's own ("chữ ký số của người có thẩm quyền") and then the body's, with its
seal ("chữ ký số của cơ quan, tổ chức"). Their visible appearance follows Phụ lục I as we read
it (docs/SIGNING.md says which parts could not be checked against the text and are settings):

- the signer's: the image of the handwritten signature (blue, PNG, transparent), centred
  between the signer's title and name; no text;
- the body's: the image of the seal (red, PNG, transparent, the seal's real size) over about
  the left third of the signer's image, with the body's name and the signing time (ISO 8601 in
  Vietnam's time zone) in Times New Roman-metric type, 10 pt, upright, black.

Configuration: settings.SIGNING_* (config/settings.py, .env.example).
"""

from __future__ import annotations

import logging
import os
import tempfile
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from datetime import datetime
from functools import cache
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from core.pdf import Place, static_path

logger = logging.getLogger(__name__)

PERSON = "person"
SEAL = "seal"
ROLES = (PERSON, SEAL)
FIELD_NAMES = {PERSON: "ChuKySoNguoiCoThamQuyen", SEAL: "ChuKySoCoQuanToChuc"}
ROLE_OF_FIELD = {field: role for role, field in FIELD_NAMES.items()}

MM = 72 / 25.4  # PDF points per millimetre
SIGNATURE_IMAGE_HEIGHT_MM = 20  # the handwritten signature's image, inside its 25 mm space
INFO_FONT = "fonts/LiberationSerif-Regular.ttf"  # metric-compatible with Times New Roman
INFO_FONT_SIZE = 10  # pt, Phụ lục I
INFO_LINE = 12  # pt per line of the seal's text (pyHanko wants whole points)


@dataclass(frozen=True)
class SignatureStatus:
    """What the document's page, the API and the public page show of one signature."""

    role: str  # PERSON, SEAL, or "" for a signature this app did not place
    signer: str  # the certificate's common name
    signed_at: str  # ISO 8601, Vietnam time
    valid: bool  # intact, cryptographically valid, trusted chain, no forbidden change after
    summary: str  # pyHanko's one-line account, for the curious

    def as_dict(self) -> dict:
        return asdict(self)


# --- configuration ----------------------------------------------------------------------------


def _role_config(role: str) -> dict:
    if settings.DOCUMENT_SIGNING_BACKEND == "demo":
        from core.signing_demo import demo_role_config

        return demo_role_config(role)
    return settings.SIGNING_ROLES.get(role, {})


def configured_roles() -> list[str]:
    """The roles a key is configured for, in signing order; empty: documents go out unsigned."""
    backend = settings.DOCUMENT_SIGNING_BACKEND
    if backend in ("pkcs12", "demo"):
        return [role for role in ROLES if _role_config(role).get("PKCS12_PATH")]
    if backend == "pkcs11":
        return [role for role in ROLES if _role_config(role).get("KEY_LABEL")]
    return []


def signing_enabled() -> bool:
    return bool(configured_roles())


def _open_signer(role: str, stack: ExitStack):
    """pyHanko's signer for the role's key; a PKCS#11 session is closed with the stack."""
    from pyhanko.sign import signers

    config = _role_config(role)
    backend = settings.DOCUMENT_SIGNING_BACKEND
    if backend in ("pkcs12", "demo"):
        password = config.get("PKCS12_PASSWORD") or ""
        signer = signers.SimpleSigner.load_pkcs12(
            config["PKCS12_PATH"], passphrase=password.encode() if password else None
        )
        if signer is None:
            raise ImproperlyConfigured(f"The {role} PKCS#12 file could not be read (path or password).")
        return signer
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11

    session = pkcs11.open_pkcs11_session(
        settings.SIGNING_PKCS11_MODULE,
        token_criteria=TokenCriteria(label=settings.SIGNING_PKCS11_TOKEN_LABEL or None),
        user_pin=settings.SIGNING_PKCS11_PIN or None,
    )
    stack.callback(session.close)
    return pkcs11.PKCS11Signer(
        session, key_label=config["KEY_LABEL"], cert_label=config.get("CERT_LABEL") or config["KEY_LABEL"]
    )


def _timestamper():
    if not settings.SIGNING_TSA_URL:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(settings.SIGNING_TSA_URL)


def trust_roots() -> list:
    from pyhanko.keys import load_certs_from_pemder

    paths = list(settings.SIGNING_TRUST_ROOTS)
    if settings.DOCUMENT_SIGNING_BACKEND == "demo":
        from core.signing_demo import demo_root_path

        paths.append(str(demo_root_path()))
    return list(load_certs_from_pemder([path for path in paths if Path(path).is_file()]))


# --- appearance ---------------------------------------------------------------------------------


def signing_time_text(moment: datetime) -> str:
    """ "2026-12-06T08:15:30+07:00": ISO 8601 with Vietnam's offset (Phụ lục I)."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def person_place(space: Place, image: str) -> Place:
    """The signer's image: SIGNATURE_IMAGE_HEIGHT_MM high, its width by the image's shape,
    centred in the space left between the title and the name."""
    from PIL import Image

    height = min(space.height, SIGNATURE_IMAGE_HEIGHT_MM * MM)
    width = height * 2.5
    if image:
        with Image.open(image) as picture:
            width = height * picture.width / picture.height
    width = min(width, space.width)
    left = space.left + (space.width - width) / 2
    bottom = space.bottom + (space.height - height) / 2
    return Place(space.page, left, bottom, left + width, bottom + height)


def seal_place(person: Place, *, seal_mm: float, text_width: float, info_space: Place | None) -> Place:
    """The seal over about the left third of the signer's image, vertically centred on it;
    the box reaches down to the bottom of `info_space` (the lines left under the signer's
    name for the seal's text), or two lines under the seal when the template has none."""
    diameter = seal_mm * MM
    seal_right = person.left + person.width / 3
    centre_x = seal_right - diameter / 2
    centre_y = person.bottom + person.height / 2
    width = max(diameter, text_width)
    top = centre_y + diameter / 2
    bottom = info_space.bottom if info_space is not None else top - diameter - 2 * INFO_LINE
    return Place(
        person.page, centre_x - width / 2, min(bottom, top - diameter - INFO_LINE), centre_x + width / 2, top
    )


def _person_style(image: str):
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.stamp import StaticStampStyle, TextStampStyle

    if not image:
        # No image configured: the signer's name from the certificate, small and plain.
        return TextStampStyle(stamp_text="%(signer)s", border_width=0)
    return StaticStampStyle(
        background=PdfImage(image),
        background_opacity=1.0,
        border_width=0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
            inner_content_scaling=layout.InnerScaling.STRETCH_TO_FIT,
        ),
    )


def _seal_style(image: str, *, under_seal: float):
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    return TextStampStyle(
        stamp_text="%(body)s\n%(when)s",
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(str(_info_font_file()), font_size=INFO_FONT_SIZE),
            font_size=INFO_FONT_SIZE,
            leading=INFO_LINE,
            text_color=(0, 0, 0),
        ),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MIN,
            margins=layout.Margins.uniform(0),
            inner_content_scaling=layout.InnerScaling.NO_SCALING,
        ),
        background=PdfImage(image) if image else None,
        background_opacity=1.0,
        border_width=0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MAX,
            margins=layout.Margins(left=0, right=0, top=0, bottom=under_seal),
            inner_content_scaling=layout.InnerScaling.STRETCH_TO_FIT,
        ),
    )


@cache
def _info_font_file() -> Path:
    """The seal text's font with 1000 units per em. pyHanko 0.38 writes a TrueType font's glyph
    widths in the font's own units while PDF reads them per 1000 (Liberation Serif has 2048):
    the text came out spaced twice too wide. fontTools rescales a copy once per process."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(str(static_path(INFO_FONT)))
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    path = Path(tempfile.gettempdir()) / "doithoai-seal-font-1000upem.ttf"
    partial = path.with_name(f"{path.name}.{os.getpid()}")
    font.save(str(partial))
    os.replace(partial, path)  # atomic: a process reading it never sees half a font
    return path


def _text_width(text: str) -> float:
    """The width of the seal's longest line in points, measured with the font it is set in."""
    from PIL import ImageFont

    font = ImageFont.truetype(str(static_path(INFO_FONT)), size=INFO_FONT_SIZE * 10)
    # + room for pyHanko's text box padding, so that no line is clipped at the box's edge.
    return max(font.getlength(line) for line in text.splitlines()) / 10 + 24


# --- signing ------------------------------------------------------------------------------------


def pdf_sign(
    data: bytes, *, space: Place, info_space: Place | None, body_name: str, reason: str, location: str
) -> bytes:
    """`data` with the configured signatures added (the signer's, then the body's), each as a
    PAdES signature in its own incremental update. Unchanged when nothing is configured.
    `space` is the room between the signer's title and name; `info_space` the lines left under
    the name for the seal's text."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    roles = configured_roles()
    if not roles:
        return data
    when = signing_time_text(timezone.now())
    person_image = _role_config(PERSON).get("IMAGE", "")
    person = person_place(space, person_image)
    seal = seal_place(
        person,
        seal_mm=settings.SIGNING_SEAL_SIZE_MM,
        text_width=_text_width(f"{body_name}\n{when}"),
        info_space=info_space,
    )
    places = {PERSON: person, SEAL: seal}
    styles = {
        PERSON: lambda: _person_style(person_image),
        SEAL: lambda: _seal_style(
            _role_config(SEAL).get("IMAGE", ""), under_seal=seal.height - settings.SIGNING_SEAL_SIZE_MM * MM
        ),
    }
    for role in roles:
        place = places[role]
        with ExitStack() as stack:
            signer = _open_signer(role, stack)
            field = FIELD_NAMES[role]
            pdf_signer = signers.PdfSigner(
                signers.PdfSignatureMetadata(
                    field_name=field,
                    subfilter=fields.SigSeedSubFilter.PADES,
                    md_algorithm="sha256",
                    reason=reason,
                    location=location,
                ),
                signer=signer,
                timestamper=_timestamper(),
                stamp_style=styles[role](),
                new_field_spec=fields.SigFieldSpec(
                    field, on_page=place.page, box=(place.left, place.bottom, place.right, place.top)
                ),
            )
            writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
            output = pdf_signer.sign_pdf(
                writer, appearance_text_params={"body": body_name, "when": when, "signer": ""}
            )
            data = output.getvalue()
    return data


# --- validation ---------------------------------------------------------------------------------


def _common_name(certificate) -> str:
    subject = certificate.subject.native
    return subject.get("common_name") or certificate.subject.human_friendly


def pdf_signatures_check(data: bytes) -> list[SignatureStatus]:
    """Every signature in the PDF, validated by pyHanko against the configured trust roots,
    without fetching anything (no network at run time: revocation is checked only where the
    signature carries it)."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(BytesIO(data), strict=False)
    roots = trust_roots()
    statuses = []
    for signature in reader.embedded_signatures:
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        try:
            status = validate_pdf_signature(signature, context)
        except (PdfError, ValueError) as error:  # a broken signature is "not valid", never a crash
            logger.warning("Signature %s could not be validated: %s", signature.field_name, error)
            statuses.append(
                SignatureStatus(ROLE_OF_FIELD.get(signature.field_name, ""), "", "", False, str(error))
            )
            continue
        signed_at = status.signer_reported_dt
        statuses.append(
            SignatureStatus(
                role=ROLE_OF_FIELD.get(signature.field_name, ""),
                signer=_common_name(status.signing_cert),
                signed_at=signing_time_text(signed_at) if signed_at else "",
                valid=bool(status.bottom_line),
                summary=status.summary(),
            )
        )
    return statuses
