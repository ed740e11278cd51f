"""What kind of message is this: a question, filler, an attempt to steer the grader?

Cheap rules the interviewer runs on every message before any model sees it.
"""

from __future__ import annotations

import re

from models.bank import Question
from workers.analysis.text import STOPWORDS, contains_phrase, stem, stems, tokens, word_set

# "Can we...", "Do links...", "Is it...": an auxiliary first is a question.
_AUXILIARY_START = word_set(
    """can could should would will shall do does did is are am was were may might have has any isn't
    aren't doesn't don't can't shouldn't wouldn't"""
)
# A wh-word is a question only when an auxiliary or a quantity follows: "What is the QPS", "How
# many users"; "What I'd do is shard", "When we hit the limit we return 429" are statements.
_WH = word_set("what when where which who whom whose why how")
_WH_CONTRACTED = word_set("what's where's how's who's when's why's")
_WH_NEXT = _AUXILIARY_START | word_set(
    "many much long big large often far fast kind sort type happens about if"
)
_ASKING = re.compile(
    r"\b(i'?d like to know|i want to know|i was wondering|i wonder|tell me|can you (?:tell|clarify|"
    r"explain)|could you (?:tell|clarify|explain)|do you know|should i assume|can i assume|"
    r"is it ok(?:ay)? (?:if|to)|clarify|any (?:constraints|requirements) on)\b"
)
_FILLER_WORDS = word_set(
    """ok okay k kk hello hi hey hmm hm hmmm um umm uh uhh er erm ah oh yeah yep yes no nope nah sure
    thanks thank thx cheers cool great good fine alright right well know dont don't idk sorry think
    guess let me see pass next continue go ahead sounds got it understood makes sense lol yo please
    wait moment second sec one clue idea unsure sure question questions nothing else repeat again"""
)
# Text addressed to the grader rather than the interviewer; it must never count as an answer.
_INJECTION = re.compile(
    r"\b(?:ignore (?:all |any |the |your )?(?:previous|prior|above|earlier|preceding) "
    r"(?:instructions|prompts?|rules|messages)"
    r"|disregard (?:the|all|your|previous|any|those) (?:instructions|rules|rubric|prompt)"
    r"|system prompt\b|developer mode|jailbreak|you are now (?:a|an|in)\b"
    r"|(?:full|perfect|maximum|max|top) (?:marks|score)"
    r"|(?:give|rate|score|grade|mark) (?:me|this|all|every|the candidate)\b.{0,40}?"
    r"(?:covered|\d+ ?/ ?\d+|perfect|pass(?:ed)?|strong hire|full marks|max)"
    r")|^\s*(?:system|assistant|developer)\s*:",
    re.IGNORECASE,
)


def is_question(text: str) -> bool:
    """Does the candidate ask something (a clarification, a request to repeat)?"""
    stripped = text.strip()
    if not stripped:
        return False
    if "?" in stripped:
        return True
    words = tokens(stripped)
    if len(words) >= 2 and (words[0] in _AUXILIARY_START or words[0] in _WH_CONTRACTED):
        return True
    if len(words) >= 2 and words[0] in _WH and words[1] in _WH_NEXT:
        return True
    return bool(_ASKING.search(stripped.lower()))


def is_filler(text: str) -> bool:
    """No substance: greetings, acknowledgements, "I don't know", thinking noises, empty text."""
    words = [w for w in tokens(text) if not w.startswith("#")]
    if not words:
        return not any(ch.isdigit() for ch in text)
    return all(w in _FILLER_WORDS or w in STOPWORDS for w in words)


def is_injection(text: str) -> bool:
    """Instructions to the model or the grader ("ignore previous instructions", "give me 10/10")."""
    return bool(_INJECTION.search(text))


def clarification_answer(question: Question, text: str) -> str | None:
    """The bank's prepared answer to a clarifying question, or None if none applies.

    Only questions get answers: "I'll assume 10M users" is a statement, not a request. Among the
    clarifications, the one whose keywords cover the most words wins; bank order breaks ties.
    """
    if not question.clarifications or not is_question(text):
        return None
    words = stems(text)
    best: tuple[int, str] | None = None
    for clarification in question.clarifications:
        matched = 0
        for keyword in clarification.keywords:
            needle = tuple(stem(w) for w in tokens(keyword))
            if contains_phrase(words, needle):
                matched += len(needle)
        if matched and (best is None or matched > best[0]):
            best = (matched, clarification.answer)
    return best[1] if best else None
