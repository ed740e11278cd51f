"""The optional language model: phrases the interviewer's turns and grades sessions, never required.

Rehearse runs fully on its deterministic engine; with `REHEARSE_LLM_BASE_URL` and
`REHEARSE_LLM_MODEL` set, `phrase_turn` asks the model to word what the engine decided, and falls
back to the engine's own text on any failure.
"""

from workers.llm.phrase import PhraseResult, phrase_turn
from workers.llm.provider import LLMProvider, ProviderError, provider_from_settings

__all__ = ["LLMProvider", "PhraseResult", "ProviderError", "phrase_turn", "provider_from_settings"]
