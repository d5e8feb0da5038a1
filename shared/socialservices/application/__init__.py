"""The social services' register as use cases of the supervision Application, and its reads."""
