"""Personal data at rest: per-participant keys (crypto-shredding) and the sealing of invoice content."""
from shared.privacy.adapters.key_vault import KeyVault, WrongKey, load_master_key
from shared.privacy.sealing import SHREDDED, Sealer, open_content

__all__ = ["SHREDDED", "KeyVault", "Sealer", "WrongKey", "load_master_key", "open_content"]
