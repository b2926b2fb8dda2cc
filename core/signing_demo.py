"""Demo certificates for `make run` (DOCUMENT_SIGNING_BACKEND=demo, DEBUG only): a root CA and two
signing certificates named as demos, PKCS#12 files and the two appearance images, made once
under var/demo-signing/ by `seed_demo`. They have no legal value and say so in their names.

`certificate_chain_write` is also what the tests use to make a chain of their own.
"""

from __future__ import annotations

import math
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

DEMO_PASSWORD = "demo"  # the PKCS#12 files' password: demo files only
DEMO_NOTE = "DEMO — không có giá trị pháp lý"
ROLE_NAMES = {"person": f"Người ký {DEMO_NOTE}", "seal": f"Cơ quan {DEMO_NOTE}"}


def _name(common_name: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Đối thoại"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _certificate(subject: str, key, issuer_name, issuer_key, *, ca: bool, expired: bool = False):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    now = timezone.now()
    not_after = now - timedelta(days=1) if expired else now + timedelta(days=3650 if ca else 1825)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer_name or _name(subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=30 if expired else 1))
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    return builder.sign(issuer_key or key, hashes.SHA256())


def certificate_chain_write(
    directory: Path, *, root_name: str, signers: dict[str, str], password: str, expired: tuple[str, ...] = ()
) -> dict:
    """A root CA (root.pem) and, per entry of `signers` (file stem → common name), an RSA key
    with its certificate issued by the root, as <stem>.p12 (key, certificate, root) and
    <stem>.key.der / <stem>.cert.der (for importing into a token). The stems in `expired` get a
    certificate that expired yesterday (the tests' case of a lapsed certificate). Returns the
    objects."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12

    directory.mkdir(parents=True, exist_ok=True)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = _certificate(root_name, root_key, None, None, ca=True)
    (directory / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    made = {"root": root}
    for stem, common_name in signers.items():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        certificate = _certificate(
            common_name, key, root.subject, root_key, ca=False, expired=stem in expired
        )
        bundle = pkcs12.serialize_key_and_certificates(
            stem.encode(), key, certificate, [root], serialization.BestAvailableEncryption(password.encode())
        )
        (directory / f"{stem}.p12").write_bytes(bundle)
        (directory / f"{stem}.key.der").write_bytes(
            key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        (directory / f"{stem}.cert.der").write_bytes(certificate.public_bytes(serialization.Encoding.DER))
        made[stem] = certificate
    return made


# --- the demo images --------------------------------------------------------------------------


def _signature_image(path: Path) -> None:
    """A blue scribble on a transparent background, in place of a handwritten signature."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (500, 200), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = [(40 + x, 110 + 45 * math.sin(x / 28) * math.exp(-x / 400)) for x in range(0, 420, 4)]
    draw.line(points, fill=(20, 40, 160, 255), width=7, joint="curve")
    draw.line([(120, 150), (430, 70)], fill=(20, 40, 160, 255), width=5)
    image.save(path)


def _seal_image(path: Path) -> None:
    """A red ring with a star: a stand-in for a seal, marked DEMO."""
    from PIL import Image, ImageDraw, ImageFont

    from core.pdf import static_path

    size = 600
    red = (205, 20, 20, 255)
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, size - 10, size - 10), outline=red, width=16)
    draw.ellipse((90, 90, size - 90, size - 90), outline=red, width=8)
    star = [
        (
            size / 2 + 70 * math.cos(math.pi / 2 + k * math.pi / 5) * (1 if k % 2 == 0 else 0.4),
            size / 2 - 40 - 70 * math.sin(math.pi / 2 + k * math.pi / 5) * (1 if k % 2 == 0 else 0.4),
        )
        for k in range(10)
    ]
    draw.polygon(star, fill=red)
    font = ImageFont.truetype(str(static_path("fonts/LiberationSerif-Bold.ttf")), 64)
    draw.text((size / 2, size / 2 + 90), "DEMO", fill=red, font=font, anchor="mm")
    image.save(path)


def demo_credentials_ensure() -> Path:
    """Make the demo certificates and images once; later calls keep them."""
    directory = Path(settings.SIGNING_DEMO_DIR)
    if not (directory / "seal.p12").exists():
        certificate_chain_write(
            directory, root_name=f"CA {DEMO_NOTE}", signers=ROLE_NAMES, password=DEMO_PASSWORD
        )
        _signature_image(directory / "person.png")
        _seal_image(directory / "seal.png")
    return directory


def demo_role_config(role: str) -> dict:
    directory = Path(settings.SIGNING_DEMO_DIR)
    if not (directory / f"{role}.p12").exists():
        return {}
    return {
        "PKCS12_PATH": str(directory / f"{role}.p12"),
        "PKCS12_PASSWORD": DEMO_PASSWORD,
        "IMAGE": str(directory / f"{role}.png"),
    }


def demo_root_path() -> Path:
    return Path(settings.SIGNING_DEMO_DIR) / "root.pem"
