"""What the register asks of the apps above it (docs/ARCHITECTURE.md, ports).

A Party committee numbers per committee term (Hướng dẫn 36-HD/VPTW, mục II, điểm 1.3.1.a),
and the terms are kept by `conclusions.CommitteeTerm`: `party_term` answers, for a body and a
day, a `Term` (a key for the numbering series and the term's name) or None."""

from __future__ import annotations

from dataclasses import dataclass

from core.ports import Port


@dataclass(frozen=True)
class Term:
    key: str  # "term-7": part of the numbering series, never shown
    name: str  # "2025 – 2030"


party_term = Port("registers.party_term")  # callable(body, day) -> Term | None
