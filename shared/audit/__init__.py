"""Tamper evidence: hash chains per aggregate, a Merkle tree per service, signed checkpoints, `ami verify`."""
