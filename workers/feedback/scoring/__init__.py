"""The rules scorer: one module per domain, sharing coverage, relevance and the summary."""
