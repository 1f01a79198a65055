"""Peer-review assignment engine: who reviews whose post, under hard and soft rules."""

from bot.assignment.engine import add_late, assign, reassign
from bot.assignment.model import (
    CONSTRAINTS,
    SOFT_CONSTRAINTS,
    AssignmentResult,
    Pair,
    Participant,
    Relaxation,
)

__all__ = [
    "CONSTRAINTS",
    "SOFT_CONSTRAINTS",
    "AssignmentResult",
    "Pair",
    "Participant",
    "Relaxation",
    "add_late",
    "assign",
    "reassign",
]
