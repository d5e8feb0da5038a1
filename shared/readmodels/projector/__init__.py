"""The projector: both notification logs into the read models, exactly once per event (loop.Projector)."""
# topics     which stored events it reads, from which log
# decoding   the fast path: just the fields the views use, read with msgspec
# batch      what one batch collects;  handlers  one per event kind;  writers  the batch's SQL in bulk
# loop       Projector: run() to the logs' ends, rebuild();  follower  `ami project --follow`
from shared.readmodels.projector.loop import Projector
from shared.readmodels.projector.topics import SOURCES, TOPICS

__all__ = ["SOURCES", "TOPICS", "Projector"]
