"""Pacing by the server's clock: which phase the time says we should be in, and when to wrap up."""

from __future__ import annotations

from models.bank import PHASES

# Share of the interview each phase should take, in order (the rest of a phase's time rolls over).
BUDGETS: dict[str, dict[str, float]] = {
    "system_design": {
        "requirements": 0.12,
        "estimates": 0.10,
        "api": 0.10,
        "data_model": 0.12,
        "high_level": 0.22,
        "deep_dive": 0.26,
        "wrap_up": 0.08,
    },
    "coding": {"clarify": 0.10, "approach": 0.20, "implement": 0.40, "test": 0.20, "complexity": 0.10},
}
MINUTES_PER_BEHAVIORAL_QUESTION = 10


def wrap_up_window_s(total_s: float) -> float:
    """The last stretch kept for wrapping up: 10 % of the interview, at least two minutes."""
    return max(120.0, 0.10 * total_s)


def in_wrap_up(elapsed_s: float, total_s: float) -> bool:
    return total_s - elapsed_s <= wrap_up_window_s(total_s)


def phase_due(session_type: str, elapsed_s: float, total_s: float) -> str:
    """The phase the clock says we should have reached by now."""
    if session_type not in BUDGETS:
        return PHASES[session_type][0]
    fraction = elapsed_s / total_s if total_s else 1.0
    reached = 0.0
    for phase, share in BUDGETS[session_type].items():
        reached += share
        if fraction < reached:
            return phase
    return PHASES[session_type][-1]


def behind_schedule(session_type: str, phase: str, elapsed_s: float, total_s: float) -> bool:
    order = PHASES[session_type]
    due = phase_due(session_type, elapsed_s, total_s)
    return order.index(due) > order.index(phase) if phase in order else False


def behavioral_question_budget_s(total_s: float) -> float:
    count = max(1, round(total_s / 60 / MINUTES_PER_BEHAVIORAL_QUESTION))
    return total_s / count
