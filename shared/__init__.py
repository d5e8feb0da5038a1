"""AMI portal domain: money, periods, tariffs, checks, parsers, aggregates, store (no web framework)."""
