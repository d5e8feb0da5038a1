"""Finding a programme (domain-rules §8): the decision tool «Was ist das Ziel?» and the search by postcode and radius
with the free places of the latest capacity reports; public, without login, and without personal data."""
