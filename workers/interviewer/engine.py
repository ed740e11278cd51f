"""Interim built-in interviewer (welcome, then one question after another); replaced by the
rubric-driven engine once the analysis library lands."""

from __future__ import annotations

from models.bank import PHASES, questions_of
from workers.interviewer.context import Move, TurnContext
from workers.interviewer.state import QuestionProgress

NUDGE_TEXT = (
    "Are you still there? Take your time — tell me what you're thinking, or type `hint` if you're stuck."
)


def decide(ctx: TurnContext) -> Move:
    state, question = ctx.state, ctx.question
    if ctx.trigger == "open":
        state.current = question.id
        state.order = [question.id]
        state.progress[question.id] = QuestionProgress(phase=PHASES[question.type][0])
        return Move("open", f"Welcome! Let's begin.\n\n**{question.title}**\n\n{question.prompt}")
    state.turns += 1
    following = next((q for q in questions_of(question.type) if q.id not in state.order), None)
    if following is None:
        return Move("stretch", "Thanks. Is there anything you'd like to add?")
    state.current = following.id
    state.order.append(following.id)
    state.progress[following.id] = QuestionProgress(phase=PHASES[following.type][0])
    return Move("next_question", f"Thanks. Let's move on.\n\n**{following.title}**\n\n{following.prompt}")
