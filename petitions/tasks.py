"""Celery tasks of petitions: thin, idempotent, safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from petitions.decision import extension_decision_store
from petitions.models import Petition, StatutoryExtension
from petitions.slip import transfer_slip_store
from registers.models import DocumentType, IssuedDocument

logger = logging.getLogger(__name__)

RETRY_BASE_SECONDS = 30


@shared_task(bind=True, max_retries=5)
def transfer_slip_render_pdf(self, petition_id: int) -> None:
    petition = Petition.objects.select_related("area", "transfer_entry__body").filter(pk=petition_id).first()
    if petition is None:
        return
    try:
        transfer_slip_store(petition=petition)
    except Exception as exc:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            # In-process (no broker): the slip stays "PDF pending" and the sweep tries again.
            logger.exception("Slip PDF of petition %s failed; left pending", petition_id)
            return
        raise self.retry(exc=exc, countdown=RETRY_BASE_SECONDS * 2**self.request.retries) from exc


@shared_task(bind=True, max_retries=5)
def extension_decision_render_pdf(self, extension_id: int) -> None:
    extension = (
        StatutoryExtension.objects.select_related("petition__area", "decision_entry__body", "decided_by")
        .filter(pk=extension_id)
        .first()
    )
    if extension is None:
        return
    try:
        extension_decision_store(extension=extension)
    except Exception as exc:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            logger.exception("Decision PDF of extension %s failed; left pending", extension_id)
            return
        raise self.retry(exc=exc, countdown=RETRY_BASE_SECONDS * 2**self.request.retries) from exc


@shared_task
def transfer_slips_render_pending() -> int:
    """Make every transfer slip and extension decision still without its PDF (a lost task, a
    broker down at issue, retries run out). One failure is logged and the sweep goes on."""
    pending = IssuedDocument.objects.filter(pdf_sha256="").order_by("pk")
    slips = pending.filter(entry__doc_type=DocumentType.TRANSFER_SLIP).values_list("entry_id", flat=True)
    decisions = pending.filter(entry__doc_type=DocumentType.DECISION).values_list("entry_id", flat=True)
    rendered = 0
    petitions = Petition.objects.filter(transfer_entry_id__in=list(slips)).select_related(
        "area", "transfer_entry__body"
    )
    extensions = StatutoryExtension.objects.filter(decision_entry_id__in=list(decisions)).select_related(
        "petition__area", "decision_entry__body", "decided_by"
    )
    jobs = [(transfer_slip_store, "petition", petition) for petition in petitions]
    jobs += [(extension_decision_store, "extension", extension) for extension in extensions]
    for store, name, document in jobs:
        try:
            store(**{name: document})
        except Exception:
            logger.exception("PDF of %s %s failed; left pending", name, document.pk)
        else:
            rendered += 1
    return rendered
