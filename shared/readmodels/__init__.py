"""Read models for dashboards and the overview, projected from both services' notification logs."""
#     views = portal.views        # opened lazily; SQLite views.sqlite or PostgreSQL schema ami_views
#     views.catch_up()            # every event committed before this call is in the views afterwards
#     views.overview("2025-03")   # api.md's overview, all 26 providers
#
# projector/     follows the logs and writes the views exactly once per event (tracking in the same transaction)
# tables         the views' DDL;  statements  the projector's SQL;  transactions, store  SQLite and PostgreSQL
# queries        what pages and the API read (`Views`);  dashboard  the supervisors' dashboard figures
# provider_view  the provider's home and the supervisor's file on a provider (months, findings; opened with keys)
from shared.readmodels.projector import Projector
from shared.readmodels.queries import Views
from shared.readmodels.store import ViewStore, open_view_store

__all__ = ["Projector", "ViewStore", "Views", "open_view_store"]
