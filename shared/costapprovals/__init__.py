"""Kostengutsprachen: a social service's approval for a social-assistance participant, recorded by the provider
and consumed by its invoices (domain-rules §3 rule 7, §4 cost_approval_*)."""
