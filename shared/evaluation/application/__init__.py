"""The evaluation as a use case: read the span's funding split, pseudonymise, count, protect."""
