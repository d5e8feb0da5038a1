"""What every `ami` command needs: the environment with --data-dir/--database-url applied, and the actor."""
from __future__ import annotations

import os


def env_with(args) -> dict[str, str]:
    """The process environment, with the command's --data-dir and --database-url in place of the variables."""
    env = dict(os.environ)
    if getattr(args, "data_dir", None):
        env["AMI_DATA_DIR"] = args.data_dir
    if getattr(args, "database_url", None):
        env["DATABASE_URL"] = args.database_url
    return env


def actor() -> str:
    """Who acts from the command line, as the events record it."""
    return f"cli:{os.environ.get('USER', 'admin')}"
