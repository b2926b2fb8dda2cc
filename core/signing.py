"""Digital signatures (chữ ký số) of the official documents: PAdES signatures put into a
rendered PDF by pyHanko, and their validation. No cryptography of our own: keys stay in a
PKCS#12 file or on a PKCS#11 token/HSM, pyHanko signs and validates.

Two signatures, in the order an office applies them (Decree 30/2020/NĐ-CP and its Phụ lục I):
the signer's own ("chữ ký số của người có thẩm quyền"), with the key of the person who signs,
and then the body's, with its seal ("chữ ký số của cơ quan, tổ chức"), with the key of the
issuing body. Their visible appearance (docs/SIGNING.md quotes what was found of the texts and
says which parts remain unverified settings):

- the signer's: the image of the handwritten signature (blue, PNG, transparent), centred
  between the signer's title and name; no text;
- the body's: the image of the seal (red, PNG, transparent, the seal's real size) over about
  the left third of the signer's image, with the body's name and the signing time (ISO 8601 in
  Vietnam's time zone, to the second) in Times New Roman-metric type, 10 pt, upright, black.

Which key is whose is data (accounts.SigningKey, passed in as `KeySpec`s); the deployment-wide
settings.SIGNING_* (config/settings.py, .env.example) are the fallback.
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
from django.utils.translation import gettext as _

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


# --- keys -------------------------------------------------------------------------------------


class UnusableKey(ImproperlyConfigured):
    """A key that cannot sign: no such file, token object or password variable, a file the
    password does not open, or a certificate outside its validity. Raised before any signature
    is added, so that a document is signed by the right keys or by none."""


@dataclass(frozen=True)
class KeySpec:
    """Where one key is, on the configured backend (`DOCUMENT_SIGNING_BACKEND`).

    PKCS#12 (`pkcs12`, `demo`): the file and its password, either by the NAME of the
    environment variable holding it (`password_variable`, what the signing keys an admin
    manages use: no password in the database) or given (`password`, the deployment-wide
    settings). PKCS#11 (`pkcs11`): the key's and the certificate's labels on the token
    (`SIGNING_PKCS11_MODULE`/`_TOKEN_LABEL`/`_PIN` are the installation's)."""

    owner: str = ""  # whose key, for the messages: a signer's name or a body's
    pkcs12_path: str = ""
    password_variable: str = ""
    password: str | None = None
    key_label: str = ""
    cert_label: str = ""
    image: str = ""  # the appearance: the signature's or the seal's PNG


@dataclass(frozen=True)
class CertificateInfo:
    """What the admin shows of a key's certificate."""

    subject: str
    common_name: str
    serial: str  # hexadecimal, as certificate viewers show it
    not_before: datetime
    not_after: datetime

    def problem(self, moment: datetime | None = None) -> str:
        """Why the certificate cannot sign at `moment` (now), or ""."""
        moment = moment or timezone.now()
        if moment > self.not_after:
            return _("chứng thư số của %(owner)s đã hết hạn ngày %(day)s") % {
                "owner": self.common_name,
                "day": f"{timezone.localtime(self.not_after):%d/%m/%Y}",
            }
        if moment < self.not_before:
            return _("chứng thư số của %(owner)s chỉ có hiệu lực từ ngày %(day)s") % {
                "owner": self.common_name,
                "day": f"{timezone.localtime(self.not_before):%d/%m/%Y}",
            }
        return ""


def _role_config(role: str) -> dict:
    if settings.DOCUMENT_SIGNING_BACKEND == "demo":
        from core.signing_demo import demo_role_config

        return demo_role_config(role)
    return settings.SIGNING_ROLES.get(role, {})


def settings_key(role: str) -> KeySpec | None:
    """The deployment-wide key of the role (settings.SIGNING_ROLES, or the demo's), or None."""
    config = _role_config(role)
    spec = KeySpec(
        owner=_("khóa chung của hệ thống") if role == PERSON else _("con dấu chung của hệ thống"),
        pkcs12_path=config.get("PKCS12_PATH", ""),
        password=config.get("PKCS12_PASSWORD") or "",
        key_label=config.get("KEY_LABEL", ""),
        cert_label=config.get("CERT_LABEL", ""),
        image=config.get("IMAGE", ""),
    )
    return spec if key_is_set(spec) else None


def key_is_set(spec: KeySpec | None) -> bool:
    """The key names what the configured backend needs (a file, or a label on the token)."""
    if spec is None:
        return False
    backend = settings.DOCUMENT_SIGNING_BACKEND
    if backend in ("pkcs12", "demo"):
        return bool(spec.pkcs12_path)
    if backend == "pkcs11":
        return bool(spec.key_label)
    return False


def configured_roles(keys: dict[str, KeySpec | None] | None = None) -> list[str]:
    """The roles that sign, in signing order: those with a key in `keys`, or, without
    `keys`, in the settings. Empty: documents go out unsigned."""
    if keys is None:
        return [role for role in ROLES if settings_key(role) is not None]
    return [role for role in ROLES if key_is_set(keys.get(role))]


def signing_enabled() -> bool:
    return bool(configured_roles())


def _password(spec: KeySpec) -> bytes | None:
    if spec.password_variable:
        if spec.password_variable not in os.environ:
            logger.warning("Signing key of %s: variable %s is not set", spec.owner, spec.password_variable)
            raise UnusableKey(
                _("biến môi trường chứa mật khẩu tệp khóa của %(owner)s chưa được đặt")
                % {"owner": spec.owner}
            )
        password = os.environ[spec.password_variable]
    else:
        password = spec.password or ""
    return password.encode() if password else None


# Loaded PKCS#12 signers, per file, with the file's size, modification time and password:
# reading the file and checking the RSA key cost ~0.1 s a signature, every signature
# (docs/SIGNING.md, "Speed"). A changed file (a renewed certificate) is read again; the cache
# lives as long as the worker process.
_PKCS12_SIGNERS: dict[str, tuple[tuple, object]] = {}


def _pkcs12_signer(spec: KeySpec):
    from pyhanko.sign import signers

    path = Path(spec.pkcs12_path)
    try:
        stat = path.stat()
    except OSError:
        logger.warning("Signing key of %s: no file %s", spec.owner, spec.pkcs12_path)
        raise UnusableKey(_("không có tệp khóa của %(owner)s") % {"owner": spec.owner}) from None
    password = _password(spec)
    stamp = (stat.st_size, stat.st_mtime_ns, password)
    kept = _PKCS12_SIGNERS.get(str(path))
    if kept is not None and kept[0] == stamp:
        return kept[1]
    loaded = signers.SimpleSigner.load_pkcs12(str(path), passphrase=password)
    if loaded is None:
        logger.warning("Signing key of %s: %s does not open (file or password)", spec.owner, spec.pkcs12_path)
        raise UnusableKey(
            _("tệp khóa của %(owner)s không mở được (sai tệp hoặc mật khẩu)") % {"owner": spec.owner}
        )
    signer = _kept_key_signer_class().of(loaded)
    _PKCS12_SIGNERS[str(path)] = (stamp, signer)
    return signer


@cache
def _kept_key_signer_class():
    """Made on first use: pyHanko is imported only where a document is signed."""
    from pyhanko.sign import signers

    class KeptKeySigner(signers.SimpleSigner):
        """pyHanko's SimpleSigner loads (and checks) the private key from DER at every raw
        signature, ~70 ms for an RSA key; this one keeps the loaded key. RSA PKCS#1 v1.5 and
        ECDSA are signed here, anything else by pyHanko as before."""

        @classmethod
        def of(cls, simple):
            from cryptography.hazmat.primitives import serialization

            kept = cls(
                signing_cert=simple.signing_cert,
                signing_key=simple.signing_key,
                cert_registry=simple.cert_registry,
                signature_mechanism=simple.signature_mechanism,
            )
            kept.loaded_key = serialization.load_der_private_key(simple.signing_key.dump(), password=None)
            return kept

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
            from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
            from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
            from pyhanko.sign.general import get_pyca_cryptography_hash

            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            key = self.loaded_key
            hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
            if mechanism == "rsassa_pkcs1v15" and isinstance(key, RSAPrivateKey):
                return key.sign(data, PKCS1v15(), hash_algorithm)
            if mechanism == "ecdsa" and isinstance(key, EllipticCurvePrivateKey):
                return key.sign(data, signature_algorithm=ECDSA(hash_algorithm))
            return super().sign_raw(data, digest_algorithm)

    return KeptKeySigner


def _pkcs11_session(stack: ExitStack):
    """One session on the token for all the signatures of a document, closed with the stack."""
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11

    session = getattr(stack, "pkcs11_session", None)
    if session is None:
        session = pkcs11.open_pkcs11_session(
            settings.SIGNING_PKCS11_MODULE,
            token_criteria=TokenCriteria(label=settings.SIGNING_PKCS11_TOKEN_LABEL or None),
            user_pin=settings.SIGNING_PKCS11_PIN or None,
        )
        stack.callback(session.close)
        stack.pkcs11_session = session
    return session


def _pkcs11_signer(spec: KeySpec, stack: ExitStack):
    from pyhanko.sign import pkcs11
    from pyhanko.sign.general import SigningError

    session = _pkcs11_session(stack)
    signer = pkcs11.PKCS11Signer(
        session, key_label=spec.key_label, cert_label=spec.cert_label or spec.key_label
    )
    try:
        signer.signing_cert  # noqa: B018 (loads the key and the certificate from the token)
    except (SigningError, pkcs11.PKCS11Error) as error:
        logger.warning(
            "Signing key of %s: label %s not usable on the token: %s", spec.owner, spec.key_label, error
        )
        raise UnusableKey(
            _("không tìm thấy khóa của %(owner)s trên thiết bị ký số") % {"owner": spec.owner}
        ) from error
    return signer


def _open_signer(spec: KeySpec, stack: ExitStack):
    """pyHanko's signer for the key; a PKCS#11 session is closed with the stack."""
    if settings.DOCUMENT_SIGNING_BACKEND in ("pkcs12", "demo"):
        return _pkcs12_signer(spec)
    return _pkcs11_signer(spec, stack)


def _certificate_info(certificate) -> CertificateInfo:
    return CertificateInfo(
        subject=certificate.subject.human_friendly,
        common_name=_common_name(certificate),
        serial=format(certificate.serial_number, "X"),
        not_before=certificate.not_valid_before,
        not_after=certificate.not_valid_after,
    )


def key_certificate(spec: KeySpec) -> CertificateInfo:
    """The certificate of the key, read from its file or token (UnusableKey when it cannot be)."""
    with ExitStack() as stack:
        return _certificate_info(_open_signer(spec, stack).signing_cert)


def _timestamper():
    if not settings.SIGNING_TSA_URL:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(settings.SIGNING_TSA_URL)


_TRUST_ROOTS: dict[tuple, list] = {}


def trust_roots() -> list:
    """The roots signatures are validated against, read once per set of files (and again when
    one changes)."""
    from pyhanko.keys import load_certs_from_pemder

    paths = list(settings.SIGNING_TRUST_ROOTS)
    if settings.DOCUMENT_SIGNING_BACKEND == "demo":
        from core.signing_demo import demo_root_path

        paths.append(str(demo_root_path()))
    files = [Path(path) for path in paths if Path(path).is_file()]
    cache_key = tuple((str(path), path.stat().st_mtime_ns) for path in files)
    if cache_key not in _TRUST_ROOTS:
        _TRUST_ROOTS.clear()
        _TRUST_ROOTS[cache_key] = list(load_certs_from_pemder([str(path) for path in files]))
    return _TRUST_ROOTS[cache_key]


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
        # No image configured: the signer's name from the certificate, in the seal text's
        # type (pyHanko's default Courier has no Vietnamese letters).
        return TextStampStyle(stamp_text="%(signer)s", text_box_style=_info_text_style(), border_width=0)
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


def _info_text_style():
    """Times New Roman-metric, 10 pt, black (Phụ lục I as quoted: docs/SIGNING.md)."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle

    return TextBoxStyle(
        font=GlyphAccumulatorFactory(str(_info_font_file()), font_size=INFO_FONT_SIZE),
        font_size=INFO_FONT_SIZE,
        leading=INFO_LINE,
        text_color=(0, 0, 0),
    )


def _seal_style(image: str, *, under_seal: float):
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.stamp import TextStampStyle

    return TextStampStyle(
        stamp_text="%(body)s\n%(when)s",
        text_box_style=_info_text_style(),
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


# What the seal's text can hold: Vietnamese (Latin, its combining marks and the precomposed
# letters of Latin Extended Additional), digits and punctuation.
INFO_FONT_UNICODES = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x250),
    *range(0x300, 0x370),
    *range(0x1EA0, 0x1F00),
    *range(0x2010, 0x2070),
]


@cache
def _info_font_file() -> Path:
    """The seal text's font with 1000 units per em, cut to the Vietnamese repertoire. pyHanko
    0.38 writes a TrueType font's glyph widths in the font's own units while PDF reads them per
    1000 (Liberation Serif has 2048): the text came out spaced twice too wide, so fontTools
    rescales a copy. Cut to ~700 glyphs (of ~2,600) the copy is also what pyHanko subsets again
    at every signature, several times faster (docs/SIGNING.md, "Speed"). Made once and kept
    in the temporary directory while it is newer than the shipped font."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    source = static_path(INFO_FONT)
    path = Path(tempfile.gettempdir()) / "doithoai-seal-font-1000upem-vi.ttf"
    if path.is_file() and path.stat().st_mtime_ns >= Path(source).stat().st_mtime_ns:
        return path
    font = TTFont(str(source))
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=INFO_FONT_UNICODES)
    subsetter.subset(font)
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    partial = path.with_name(f"{path.name}.{os.getpid()}")
    font.save(str(partial))
    os.replace(partial, path)  # atomic: a process reading it never sees half a font
    return path


@cache
def _measuring_font():
    from PIL import ImageFont

    return ImageFont.truetype(str(static_path(INFO_FONT)), size=INFO_FONT_SIZE * 10)


def _text_width(text: str) -> float:
    """The width of the seal's longest line in points, measured with the font it is set in."""
    font = _measuring_font()
    # + room for pyHanko's text box padding, so that no line is clipped at the box's edge.
    return max(font.getlength(line) for line in text.splitlines()) / 10 + 24


# --- signing ------------------------------------------------------------------------------------


def _bytes_reserved(signer) -> int | None:
    """Room for the signature container: the certificates it carries, the signature and the
    signed attributes, with a margin. Without it pyHanko signs a dummy first to measure, one
    more signature per signature. With a timestamp authority the token's size is not known
    beforehand: pyHanko measures."""
    if settings.SIGNING_TSA_URL:
        return None
    certificates = [signer.signing_cert, *signer.cert_registry]
    # In hexadecimal digits, as the PDF holds the container: two per byte.
    return 2 * (sum(len(certificate.dump()) for certificate in certificates) + 8192)


def pdf_sign(
    data: bytes,
    *,
    space: Place,
    info_space: Place | None,
    body_name: str,
    reason: str,
    location: str,
    keys: dict[str, KeySpec | None] | None = None,
) -> bytes:
    """`data` with the signatures added (the signer's, then the body's), each as a PAdES
    signature in its own incremental update. `keys`: the key of each role (the document's
    signer and its issuing body); without it, the settings' keys. Unchanged when no role has a
    key. Every key is opened and its certificate checked before the first signature:
    UnusableKey, and nothing is signed, when one cannot sign. `space` is the room between the
    signer's title and name; `info_space` the lines left under the name for the seal's text."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    if keys is None:
        keys = {role: settings_key(role) for role in ROLES}
    roles = configured_roles(keys)
    if not roles:
        return data
    now = timezone.now()
    when = signing_time_text(now)
    person_image = keys[PERSON].image if PERSON in roles else ""
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
            keys[SEAL].image, under_seal=seal.height - settings.SIGNING_SEAL_SIZE_MM * MM
        ),
    }
    with ExitStack() as stack:
        opened = {role: _open_signer(keys[role], stack) for role in roles}
        for signer in opened.values():
            problem = _certificate_info(signer.signing_cert).problem(now)
            if problem:
                raise UnusableKey(problem)
        for role in roles:
            place = places[role]
            field = FIELD_NAMES[role]
            pdf_signer = signers.PdfSigner(
                signers.PdfSignatureMetadata(
                    field_name=field,
                    subfilter=fields.SigSeedSubFilter.PADES,
                    md_algorithm="sha256",
                    reason=reason,
                    location=location,
                ),
                signer=opened[role],
                timestamper=_timestamper(),
                stamp_style=styles[role](),
                new_field_spec=fields.SigFieldSpec(
                    field, on_page=place.page, box=(place.left, place.bottom, place.right, place.top)
                ),
            )
            writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
            output = pdf_signer.sign_pdf(
                writer,
                bytes_reserved=_bytes_reserved(opened[role]),
                # pyHanko fills %(signer)s with the certificate's name (the signer's appearance
                # without an image); the seal's text is the body's name and the time.
                appearance_text_params={"body": body_name, "when": when},
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
