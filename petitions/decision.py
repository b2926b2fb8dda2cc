"""The denunciation's extension decision (Quyết định gia hạn giải quyết tố cáo) as the app
issues it: a State decision of the body whose head resolves the denunciation, numbered QĐ from
the body's register, rendered, signed and stored as every issued document
(registers/documents.py), with its QR code.

The law: Luật Tố cáo 2018, Điều 30 — resolution within 30 days of acceptance; a complex case
may be extended once, an especially complex one twice, each by at most 30 days; khoản 3: the
person resolving the denunciation decides the extension in writing and informs the denouncer,
the denounced person and the agencies, organisations and persons concerned. The layout is a
State decision's (Decree 30/2020/NĐ-CP, Phụ lục I). The official form (the Government
Inspectorate's forms for denunciations) was not among the stored sources: the articles below
follow the law's words, not a form's (docs/DOCUMENTS.md).

The denouncer is never named (Luật Tố cáo 2018, Điều 47): the case is known by its tracking
code, its dates and the reason for the extension."""

from __future__ import annotations

from core.pdf import clean_name, header_lines, render_document, vietnamese_date
from petitions.models import StatutoryExtension
from registers.documents import file_name_of, issued_document_store
from registers.models import IssuedDocument
from registers.signing import head_title

TEMPLATE = "petitions/pdf/extension_decision.html"
FILE_PREFIX = "quyet-dinh-gia-han"
LAW_BASES = (
    "Căn cứ Luật Tố cáo ngày 12 tháng 6 năm 2018;",
    "Căn cứ Nghị định số 31/2019/NĐ-CP ngày 10 tháng 4 năm 2019 của Chính phủ quy định chi tiết "
    "một số điều và biện pháp tổ chức thi hành Luật Tố cáo;",
)


def decision_signature_lines(body, signer_title: str) -> list[str]:
    """A decision of the head of the body: "CHỦ TỊCH"; a deputy signs "KT. CHỦ TỊCH / PHÓ CHỦ
    TỊCH" (Decree 30/2020/NĐ-CP, Điều 13)."""
    head = head_title(body, clean_name(signer_title).upper())
    title = clean_name(signer_title).upper() or head
    return [f"KT. {head}", title] if title.startswith("PHÓ ") else [title]


def extension_decision_context(extension: StatutoryExtension) -> dict:
    petition, entry = extension.petition, extension.decision_entry
    body = entry.body
    head = head_title(body, clean_name(extension.decided_by.title).upper())
    authority = f"{head} {clean_name(body.name).upper()}"
    bases = [
        *LAW_BASES,
        f"Căn cứ việc thụ lý tố cáo ngày {petition.accepted_on:%d/%m/%Y} (đơn nhận ngày "
        f"{petition.received_on:%d/%m/%Y}, mã tra cứu {petition.tracking_code});",
        f"Xét đề nghị gia hạn: {extension.reason.strip().rstrip('.;')}.",
    ]
    articles = [
        f"Điều 1. Gia hạn giải quyết tố cáo (mã tra cứu {petition.tracking_code}) lần thứ "
        f"{extension.sequence}. Thời hạn giải quyết được kéo dài từ ngày "
        f"{extension.previous_deadline:%d/%m/%Y} đến ngày {extension.new_deadline:%d/%m/%Y}.",
        "Điều 2. Người được giao xác minh tiếp tục xác minh nội dung tố cáo, báo cáo kết quả "
        "trong thời hạn tại Điều 1. Việc gia hạn được thông báo đến người tố cáo, người bị tố cáo "
        "và cơ quan, tổ chức, cá nhân có liên quan (khoản 3 Điều 30 Luật Tố cáo); thông tin về người "
        "tố cáo được giữ bí mật (Điều 47 Luật Tố cáo).",
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Các cơ quan, tổ chức, cá nhân có liên "
        "quan chịu trách nhiệm thi hành Quyết định này.",
    ]
    return {
        "party": False,
        "issuer_lines": header_lines(body.name),
        "number_text": f"Số: {entry.label}",
        "place_date": f"{petition.area.place_name}, {vietnamese_date(extension.decided_on)}",
        "authority": authority,
        "bases": bases,
        "articles": articles,
        "recipients": ["- Như Điều 3;", "- Người tố cáo, người bị tố cáo;", "- Lưu: VT, hồ sơ."],
        "signature_lines": decision_signature_lines(body, extension.decided_by.title),
        "signer_name": extension.decided_by.full_name or extension.decided_by.get_username(),
    }


def stored_decision(extension: StatutoryExtension) -> IssuedDocument | None:
    """The issued decision of the extension; None for a decision made outside the app."""
    if extension.decision_entry_id is None:
        return None
    return IssuedDocument.objects.filter(entry_id=extension.decision_entry_id).first()


def extension_decision_store(*, extension: StatutoryExtension) -> IssuedDocument | None:
    """Render, sign and store the issued extension decision once."""
    issued = stored_decision(extension)
    if issued is None or issued.is_stored:
        return issued
    context = extension_decision_context(extension)
    return issued_document_store(
        document=issued,
        render=lambda verify: render_document(TEMPLATE, {**context, **verify}),
        file_name=file_name_of(issued.entry, FILE_PREFIX),
        reason=f"Ban hành Quyết định số {issued.entry.label}",
        location=extension.petition.area.place_name,
        signer=extension.decided_by,
    )
