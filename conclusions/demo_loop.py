"""Demo of the loop with the citizen (issue 17), after the demo notices are issued: answers
kept as versions (one returned once, then accepted, with a public result file), official
answers on the tracking pages, and the citizens' verdicts: one resolved, one "no opinion" and
one "not resolved", which reopens its opinion for the leader. Idempotent: nothing is done
once a verdict exists. The 2022 conference is left as it was (its opinions stay open)."""

from __future__ import annotations

from django.core.files.base import ContentFile

from accounts.models import User
from conclusions import policies, services
from conclusions.models import Assignment
from dialogue.demo import BO_DE_2022_TITLE
from petitions import services as petition_services
from petitions.models import CitizenVerdict, Petition

# A one-page PDF (the smallest file the upload check accepts as a PDF).
RESULT_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _handler_for(assignment: Assignment) -> User | None:
    handler = (
        User.objects.filter(agency=assignment.lead_agency, is_handler=True).first()
        or User.objects.filter(agency__area=assignment.area, is_handler=True).first()
    )
    if handler is not None and not policies.is_assignee(handler, assignment):
        assignment.responsible_person = handler
        assignment.save(update_fields=["responsible_person"])
    return handler


def _answer(assignment: Assignment, clerk: User, *, returned_once: bool) -> bool:
    handler = _handler_for(assignment)
    if handler is None:
        return False
    subject = assignment.task[:120]
    if assignment.status != Assignment.Status.REPORTED_DONE:
        services.assignment_report_done(
            assignment=assignment,
            by=handler,
            answer_to_citizen=f"Về nội dung “{subject}”: cơ quan đã kiểm tra và sẽ xử lý trong tháng.",
        )
    if returned_once:
        services.assignment_return(
            assignment=assignment,
            by=clerk,
            reason="Trả lời còn chung chung: ghi rõ việc đã làm và thời gian.",
        )
        services.assignment_report_done(
            assignment=assignment,
            by=handler,
            answer_to_citizen=(
                f"Về nội dung “{subject}”: ngày 15 tổ công tác đã kiểm tra hiện trường, lập biên bản và "
                "yêu cầu khắc phục; đến nay đã khắc phục xong. Biên bản kiểm tra kèm theo."
            ),
            files=[
                services.ReportedFile(
                    file=ContentFile(RESULT_PDF, name="bien-ban-kiem-tra.pdf"), publishable=True
                )
            ],
        )
    services.assignment_accept(assignment=assignment, by=clerk)
    return True


def seed_loop(clerk: User) -> None:
    if CitizenVerdict.objects.exists():
        return
    answering = (
        Assignment.objects.open()
        .filter(petitions__kind__in=Petition.PUBLIC_ANSWER_KINDS)
        .exclude(notice__conference__title=BO_DE_2022_TITLE)
        .distinct()
        .order_by("pk")[:2]
    )
    verdicts = [
        CitizenVerdict.Verdict.RESOLVED,
        CitizenVerdict.Verdict.NOT_RESOLVED,
        CitizenVerdict.Verdict.NO_OPINION,
    ]
    for position, assignment in enumerate(answering):
        if not _answer(assignment, clerk, returned_once=position == 0):
            continue
        for petition in assignment.petitions.filter(kind__in=Petition.PUBLIC_ANSWER_KINDS).order_by("pk"):
            if not verdicts:
                return
            petition.refresh_from_db()
            if petition.resolved_on is None:
                continue
            verdict = verdicts.pop(0)
            not_resolved = verdict == CitizenVerdict.Verdict.NOT_RESOLVED
            petition_services.verdict_give(
                petition=petition,
                verdict=verdict,
                comment="Sau khi mưa lớn ngõ vẫn ngập, đề nghị kiểm tra lại." if not_resolved else "",
            )
