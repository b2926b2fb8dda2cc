"""The port of dialogue that petitions fills (dialogue/ports.py): a conference's opinions."""

from django.db.models import Count

from dialogue.ports import Opinions
from petitions.models import Petition


class ConferenceOpinions(Opinions):
    def any_raised_at(self, conference) -> bool:
        return Petition.objects.filter(conference=conference).exists()

    def counts_by_conference(self, conference_ids: list[int]) -> dict[int, int]:
        rows = (
            Petition.objects.filter(conference_id__in=conference_ids)
            .order_by()
            .values("conference_id")
            .annotate(count=Count("pk"))
            .values_list("conference_id", "count")
        )
        return dict(rows)
