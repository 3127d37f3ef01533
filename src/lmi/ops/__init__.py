"""Operations: metrics, usage counts, API keys and rate limits, health checks."""
