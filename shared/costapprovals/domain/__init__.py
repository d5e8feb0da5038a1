"""The Kostengutsprachen book of a provider, and the terms the billing checks read."""
