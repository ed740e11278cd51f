"""The built-in interviewer: decides the most useful next move from the rubric, the state and the clock.

Pure functions of a `TurnContext`: no database, no Redis, no LLM. The LLM (when configured) only
rephrases the move chosen here.
"""

from __future__ import annotations

from models.bank import PHASES, Question, TalkingPoint, choose_question
from workers.analysis import coverage, utterance
from workers.interviewer import commands, observations, pacing
from workers.interviewer.commands import Command
from workers.interviewer.context import Move, TurnContext
from workers.interviewer.state import InterviewState, QuestionProgress

NUDGE_TEXT = (
    "Are you still there? Take your time — tell me what you're thinking, or type `hint` if you're stuck."
)
_DOMAIN = {"system_design": "system design", "coding": "coding", "behavioral": "behavioral"}
_PHASE_INTRO = {
    "estimates": "Let's put some numbers on it.",
    "api": "Let's define the interface.",
    "data_model": "Let's talk about the data.",
    "high_level": "Let's get to the high-level design — feel free to draw it in the Design tab.",
    "deep_dive": "Let's go deeper.",
    "wrap_up": "Let's step back.",
    "approach": "Before you write code, talk me through your approach.",
    "implement": "Sounds like a plan — go ahead and implement it in the Code tab, and press Run to try it.",
    "test": "Let's test it.",
    "complexity": "Let's talk about efficiency.",
}


def decide(ctx: TurnContext) -> Move:
    if ctx.trigger == "open":
        return _open(ctx)
    if ctx.question.id not in ctx.state.progress:  # a message that overtook the opening turn
        _begin_question(ctx, ctx.question)
    if ctx.trigger == "code_run":
        return _after_run(ctx)
    return _answer(ctx)


# -- opening and questions ------------------------------------------------------------------------


def _open(ctx: TurnContext) -> Move:
    _begin_question(ctx, ctx.question)
    intro = (
        f"Hi, and welcome! I'll be your interviewer for this {_DOMAIN[ctx.session_type]} round "
        f"({int(ctx.total_s // 60)} minutes). Think out loud and ask clarifying questions whenever you like; "
        "type `hint`, `repeat`, `rephrase`, `skip` or `done` at any time."
    )
    return _ask(
        ctx, "open", f"{intro}\n\n**{ctx.question.title}**\n\n{ctx.question.prompt}", is_question=True
    )


def _begin_question(ctx: TurnContext, question: Question) -> None:
    state = ctx.state
    state.current = question.id
    if question.id not in state.order:
        state.order.append(question.id)
    state.progress.setdefault(question.id, QuestionProgress(phase=PHASES[question.type][0]))
    state.question_started_s = ctx.elapsed_s
    ctx.question = question


def _next_question(ctx: TurnContext) -> Question | None:
    """The next question of the same domain; used for behavioral rounds (one story at a time)."""
    seen = [*ctx.recently_seen, *ctx.state.order]
    try:
        candidate = choose_question(ctx.session_type, ctx.level, seen)
    except LookupError:
        return None
    return None if candidate.id in ctx.state.order else candidate


# -- answering a message ---------------------------------------------------------------------------


def _answer(ctx: TurnContext) -> Move:
    state, text = ctx.state, ctx.user_text
    state.turns += 1
    if state.awaiting_done_confirmation:
        state.awaiting_done_confirmation = False
        if commands.is_confirmation(text):
            return Move(
                "end",
                "Thanks for your time — let's end here. Your feedback report is being prepared.",
                end_session=True,
            )
        return _ask(ctx, "continue", f"No problem, let's keep going. {state.last_prompt}", remember=False)
    command = commands.parse(text)
    if command is not None:
        return _command(ctx, command)
    clarification = (
        utterance.clarification_answer(ctx.question, text) if utterance.is_question(text) else None
    )
    covered_now = _record_coverage(ctx, text)
    if clarification and not covered_now:
        return Move("clarify", f"{clarification} Does that help?")
    if utterance.is_filler(text) and not covered_now:
        return _encourage(ctx)
    if pacing.in_wrap_up(ctx.elapsed_s, ctx.total_s) and not state.wrapped_up:
        return _wrap_up(ctx, covered_now)
    move = _probe_or_advance(ctx, covered_now)
    if clarification:
        move.text = f"{clarification}\n\n{move.text}"
    move.covered_now = covered_now
    return move


def _record_coverage(ctx: TurnContext, text: str) -> list[str]:
    progress = ctx.state.progress_of(ctx.question.id)
    hits = coverage.analyse(ctx.question, [text])
    newly: list[str] = []
    for point_id, hit in hits.items():
        if hit.covered and point_id not in progress.covered:
            progress.covered.append(point_id)
            progress.evidence[point_id] = hit.evidence
            newly.append(point_id)
            if point_id in progress.thin:
                progress.thin.remove(point_id)
        elif hit.thin and point_id not in progress.covered and point_id not in progress.thin:
            progress.thin.append(point_id)
            progress.evidence.setdefault(point_id, hit.evidence)
    return newly


def _encourage(ctx: TurnContext) -> Move:
    state = ctx.state
    state.encouragements += 1
    if state.encouragements == 1 and state.progress_of(ctx.question.id).hints_used == 0:
        return Move("encourage", f"Take your time. One way in: {ctx.question.hints[0]}")
    lines = [
        "No rush. Tell me what you're thinking, even if it isn't complete — or type `hint`.",
        f"Let me bring us back to where we were: {state.last_prompt}",
        "Thinking out loud helps me follow you. What's the first thing that comes to mind?",
    ]
    return Move("encourage", lines[state.encouragements % len(lines)])


# -- probing and phases ------------------------------------------------------------------------------


def _probe_or_advance(ctx: TurnContext, covered_now: list[str]) -> Move:
    question, progress = ctx.question, ctx.state.progress_of(ctx.question.id)
    progress.phase_turns += 1
    ack = _acknowledge(question, covered_now)
    behind = pacing.behind_schedule(ctx.session_type, progress.phase, ctx.elapsed_s, ctx.total_s)
    if ctx.session_type == "behavioral" and _story_over_budget(ctx) and progress.phase_turns > 1:
        return _after_last_phase(ctx, ack)
    if ctx.session_type == "system_design" and progress.phase in ("high_level", "deep_dive"):
        gap = observations.first_new(
            observations.diagram_observations(question, ctx.diagram), ctx.state.diagram_asked
        )
        if gap is not None and (progress.phase_turns % 2 == 1 or _phase_done(question, progress)):
            ctx.state.diagram_asked.append(gap.key)
            return _ask(ctx, "diagram", _join(ack, gap.text))
    if not _phase_done(question, progress) and not (behind and progress.phase_turns > 1):
        probe = _probe(ctx, progress.phase)
        if probe is not None:
            return _ask(ctx, "probe", _join(ack, probe))
    return _advance(ctx, ack)


def _story_over_budget(ctx: TurnContext) -> bool:
    spent = ctx.elapsed_s - ctx.state.question_started_s
    return spent > pacing.behavioral_question_budget_s(ctx.total_s)


def _phase_done(question: Question, progress: QuestionProgress) -> bool:
    """Every point of the phase is covered, or was probed once already (we never nag twice)."""
    open_points = [p for p in _points_in(question, progress.phase) if p.id not in progress.covered]
    return all(p.id in progress.probed for p in open_points) or progress.phase_turns > 3


def _probe(ctx: TurnContext, phase: str) -> str | None:
    """A follow-up on a missing point of this phase (thin ones first: go deeper), never repeated."""
    question, progress = ctx.question, ctx.state.progress_of(ctx.question.id)
    candidates = [
        p for p in _points_in(question, phase) if p.id not in progress.covered and p.id not in progress.probed
    ]
    candidates.sort(key=lambda p: (p.id not in progress.thin, -p.weight))
    for point in candidates:
        text = _follow_up_for(ctx, point)
        if text is not None:
            progress.probed.append(point.id)
            if point.id in progress.thin:
                return f"You touched on {point.label.lower()} — can you go deeper? {text}"
            return text
    return None


def _follow_up_for(ctx: TurnContext, point: TalkingPoint) -> str | None:
    for follow_up in ctx.question.follow_ups:
        if follow_up.point == point.id and not _was_asked(ctx.state, follow_up.text):
            return follow_up.text
    if ctx.session_type == "behavioral" and ctx.question.behavioral:
        probe = ctx.question.behavioral.star_probes.get(point.phase)
        if probe and not _was_asked(ctx.state, probe):
            return probe
    return None


def _was_asked(state: InterviewState, text: str) -> bool:
    return any(text in asked for asked in state.asked)


def _advance(ctx: TurnContext, ack: str) -> Move:
    """Move to the next phase that still has something uncovered; behavioral: the next story."""
    question, progress = ctx.question, ctx.state.progress_of(ctx.question.id)
    phases = PHASES[question.type]
    for phase in phases[phases.index(progress.phase) + 1 :]:
        if phase == "wrap_up" and not pacing.in_wrap_up(ctx.elapsed_s, ctx.total_s):
            break  # the wrap-up belongs to the end of the clock, not to a fast candidate
        progress.phase, progress.phase_turns = phase, 0
        if phase == "implement" and ctx.session_type == "coding":
            return _ask(ctx, "phase", _join(ack, _PHASE_INTRO["implement"]))
        probe = _probe(ctx, phase)
        if probe is not None:
            return _ask(ctx, "phase", _join(ack, _PHASE_INTRO.get(phase, ""), probe))
    return _after_last_phase(ctx, ack)


def _after_last_phase(ctx: TurnContext, ack: str) -> Move:
    if ctx.session_type == "behavioral" and ctx.remaining_s > pacing.wrap_up_window_s(ctx.total_s):
        following = _next_question(ctx)
        if following is not None:
            _begin_question(ctx, following)
            return _ask(
                ctx,
                "next_question",
                _join(ack, f"Next question.\n\n**{following.title}**\n\n{following.prompt}"),
                is_question=True,
            )
    return _keep_going(ctx, ack)


def _keep_going(ctx: TurnContext, ack: str) -> Move:
    """Everything is covered but time remains: never end early — dig into what's left or the work."""
    for phase in PHASES[ctx.question.type]:
        if phase == "wrap_up" and not pacing.in_wrap_up(ctx.elapsed_s, ctx.total_s):
            continue
        probe = _probe(ctx, phase)
        if probe is not None:
            return _ask(ctx, "probe", _join(ack, probe))
    work_note = _work_observation(ctx)
    if work_note is not None:
        return _ask(ctx, work_note[0], _join(ack, work_note[1]))
    deeper = _deepen(ctx)
    if deeper is not None:
        return _ask(ctx, "deepen", _join(ack, deeper))
    stretch = next((s for s in _STRETCH[ctx.session_type] if not _was_asked(ctx.state, s)), None)
    if stretch is not None:
        return _ask(ctx, "stretch", _join(ack, stretch))
    closer = _CLOSERS[ctx.state.turns % len(_CLOSERS)]
    return Move("stretch", _join(ack, closer))


def _work_observation(ctx: TurnContext) -> tuple[str, str] | None:
    if ctx.session_type == "system_design":
        gap = observations.first_new(
            observations.diagram_observations(ctx.question, ctx.diagram), ctx.state.diagram_asked
        )
        if gap is not None:
            ctx.state.diagram_asked.append(gap.key)
            return "diagram", gap.text
    if ctx.session_type == "coding":
        note = observations.first_new(
            observations.code_observations(ctx.question, ctx.code), ctx.state.code_asked
        )
        if note is not None:
            ctx.state.code_asked.append(note.key)
            return "code", note.text
    return None


def _deepen(ctx: TurnContext) -> str | None:
    """Go deeper on something the candidate said, quoting them: the heaviest covered point first."""
    progress = ctx.state.progress_of(ctx.question.id)
    covered = sorted(
        (ctx.question.point(p) for p in progress.covered if p not in progress.deepened),
        key=lambda p: -p.weight,
    )
    quoted = {progress.evidence.get(p) for p in progress.deepened}
    for point in covered:
        quote = progress.evidence.get(point.id, "").strip()
        progress.deepened.append(point.id)
        if not quote or quote in quoted:
            continue
        angle = _DEEPEN[len(quoted) % len(_DEEPEN)]
        return f'Earlier you said "{quote[:160].rstrip(".")}". {angle}'
    return None


_DEEPEN = [
    "What are the trade-offs of that choice?",
    "What would make that break, and how would you notice?",
    "What alternative did you consider, and why not that one?",
    "How would you convince a sceptical teammate that it's the right call?",
]
_CLOSERS = [
    "Is there anything you'd like to revisit or add?",
    "What part of your answer are you least sure about?",
    "If you had another hour, what would you improve first?",
]
_STRETCH = {
    "system_design": [
        "Suppose traffic grows ten times overnight. What breaks first, and what would you change?",
        "Which single component failing would hurt users most, and how would you protect against it?",
        "If you had to cut the cost of this design in half, where would you start?",
        "How would you roll out a change to the data model without downtime?",
        "What would you monitor, and which alert would wake you up at night?",
        "How would this work across two regions?",
        "Where could a malicious user hurt this system, and how would you stop them?",
    ],
    "coding": [
        "How would your solution change if the input didn't fit in memory?",
        "What would you change to make this code production-ready?",
        "Which test would most likely catch a bug in your solution, and why?",
        "How would you explain your solution to a junior engineer in two sentences?",
        "What's the worst-case input for your solution?",
    ],
    "behavioral": [
        "What did that experience change about how you work today?",
        "If a new teammate faced the same situation, what advice would you give them?",
        "How did the people involved see it, looking back?",
    ],
}


# -- wrap-up, commands, runs ---------------------------------------------------------------------------


def _wrap_up(ctx: TurnContext, covered_now: list[str]) -> Move:
    ctx.state.wrapped_up = True
    minutes = max(1, round(ctx.remaining_s / 60))
    wrap = next(
        (
            p
            for p in ctx.question.talking_points
            if p.phase in ("wrap_up", "complexity", "reflection")
            and p.id not in ctx.state.progress_of(ctx.question.id).covered
        ),
        None,
    )
    ask = _follow_up_for(ctx, wrap) if wrap else None
    ask = ask or "Is there anything you'd change or add before we finish?"
    return _ask(
        ctx,
        "wrap_up",
        _join(
            _acknowledge(ctx.question, covered_now),
            f"We have about {minutes} minute{'s' if minutes != 1 else ''} left, so let's wrap up. {ask}",
        ),
    )


def _command(ctx: TurnContext, command: Command) -> Move:
    state, question = ctx.state, ctx.question
    progress = state.progress_of(question.id)
    if command is Command.HINT:
        rung = min(progress.hints_used, len(question.hints) - 1)
        progress.hints_used += 1
        prefix = (
            f"Hint {rung + 1} of {len(question.hints)}: "
            if progress.hints_used <= len(question.hints)
            else "That's the last hint I have: "
        )
        return Move("hint", prefix + question.hints[rung])
    if command is Command.REPEAT:
        return Move("repeat", f"Sure. {state.last_prompt}" if state.last_prompt else question.prompt)
    if command is Command.REPHRASE:
        if state.last_prompt_is_question:
            return Move("rephrase", f"Let me put it another way: {question.rephrasing}")
        point = next((question.point(p) for p in reversed(progress.probed)), None)
        focus = f"I'm asking about {point.label.lower()}." if point else question.rephrasing
        return Move("rephrase", f"Let me put it another way. {focus} {state.last_prompt}")
    if command is Command.SKIP:
        progress.skipped = True
        return _skip(ctx)
    if command is Command.DONE:
        state.awaiting_done_confirmation = True
        return Move(
            "confirm_done",
            "Do you want to end the interview now? You'll get your feedback report right away. Reply `yes` to end, or anything else to continue.",
        )
    if command is Command.REVIEW_DIAGRAM:
        gap = observations.first_new(observations.diagram_observations(question, ctx.diagram), [])
        return _ask(
            ctx,
            "diagram",
            gap.text
            if gap
            else "Your diagram covers the main pieces I'd expect. Walk me through a request end to end.",
        )
    return _review_code(ctx, fresh=True)


def _skip(ctx: TurnContext) -> Move:
    if ctx.session_type == "behavioral":
        following = _next_question(ctx)
        if following is not None:
            _begin_question(ctx, following)
            return _ask(
                ctx,
                "next_question",
                f"Sure, let's try a different one.\n\n**{following.title}**\n\n{following.prompt}",
                is_question=True,
            )
        return _keep_going(ctx, "That was the last question I had.")
    progress = ctx.state.progress_of(ctx.question.id)
    progress.probed.extend(
        p.id for p in _points_in(ctx.question, progress.phase) if p.id not in progress.probed
    )
    return _advance(ctx, "Sure, let's move on.")


def _after_run(ctx: TurnContext) -> Move:
    if ctx.code is not None:
        ctx.state.commented_runs.append(ctx.code.submission_id)
    return _review_code(ctx, fresh=False)


def _review_code(ctx: TurnContext, *, fresh: bool) -> Move:
    notes = observations.code_observations(ctx.question, ctx.code)
    note = observations.first_new(notes, [] if fresh else ctx.state.code_asked)
    if note is None:
        return Move(
            "code", "I've looked at your latest run. Keep going — tell me when you want me to look again."
        )
    ctx.state.code_asked.append(note.key)
    return _ask(ctx, "code", note.text)


# -- helpers ---------------------------------------------------------------------------------------


def _ask(ctx: TurnContext, kind: str, text: str, *, is_question: bool = False, remember: bool = True) -> Move:
    if remember:
        ctx.state.asked.append(text if is_question else _last_paragraph(text))
        ctx.state.last_prompt = (
            _last_paragraph(text) if not is_question else f"**{ctx.question.title}**\n\n{ctx.question.prompt}"
        )
        ctx.state.last_prompt_is_question = is_question
    return Move(kind, text)


def _acknowledge(question: Question, covered_now: list[str]) -> str:
    if not covered_now:
        return ""
    labels = [question.point(p).label.split("(")[0].strip().lower() for p in covered_now[:2]]
    # Labels are noun phrases in some banks and verb phrases in others: quote them, don't parse them.
    return f"Good, noted ({'; '.join(labels)})."


def _points_in(question: Question, phase: str) -> list[TalkingPoint]:
    return [p for p in question.talking_points if p.phase == phase]


def _join(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def _last_paragraph(text: str) -> str:
    return text.strip().split("\n\n")[-1]
