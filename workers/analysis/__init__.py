"""Text and diagram analysis shared by the interviewer and feedback pools: pure, deterministic, no I/O.

The only state is per-process caches: the embedding model, embeddings of recent texts, and each
question's phrasing embeddings.
"""
