"""Kostengutsprachen as use cases of the reporting Application, and their reads."""
