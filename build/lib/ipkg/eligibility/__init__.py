"""Eligibility: an applicant profile in, a cited verdict for every programme out. Rules are data from the graph."""

from . import advice
from .engine import Engine
from .profile import ProfileError
from .rules import Rulebook

__all__ = ["Engine", "ProfileError", "Rulebook", "advice"]
