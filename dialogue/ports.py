"""What `dialogue` needs to know from the apps above it (core/ports.py): the opinions raised at
a conference belong to `petitions`, which fills this port in its AppConfig.ready()."""

from core.ports import Port


class Opinions:
    def any_raised_at(self, conference) -> bool:
        raise NotImplementedError

    def counts_by_conference(self, conference_ids: list[int]) -> dict[int, int]:
        """{conference id: number of opinions raised there}, in one grouped query."""
        raise NotImplementedError


opinions = Port("dialogue.opinions")
