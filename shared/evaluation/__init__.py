"""The evaluation of a programme type over a span (integration.arbeit, domain-rules §7), small numbers protected."""
