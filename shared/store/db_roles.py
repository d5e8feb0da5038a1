"""Two PostgreSQL roles: an administrator (owner) and the role the services connect with.

`prepare_service_role(admin_url, role)` readies a database so that the services can run as a separate,
non-superuser role that owns every schema of the portal except `ami_access`: the access log stays owned by
the administrator, and the service role may only INSERT and SELECT its rows. It can not UPDATE, DELETE or
TRUNCATE them, nor ALTER, DROP or disable the append-only trigger (all of which need ownership), so the log
is not writable by the services' database role (art. 4 DSV). Idempotent: run it again after upgrades.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from shared.privacy.adapters.access_log import DDL_LOCK, PG_DDL
from shared.privacy.adapters.access_log import SCHEMA as ACCESS_SCHEMA
from shared.readmodels.tables import VIEWS_SCHEMA
from shared.store.eventstore import SERVICE_NAMES, connect_postgres, schema_name

KEYS_SCHEMA = "ami_keys"  # shared/privacy/keys.py
WEB_SCHEMA = "ami_web"  # services/common/login_throttle.py
# the schemas the service role owns: it creates and migrates its own tables there
SERVICE_SCHEMAS = (*(schema_name(s) for s in SERVICE_NAMES), VIEWS_SCHEMA, KEYS_SCHEMA, WEB_SCHEMA)


class RoleSetupError(Exception):
    """The service role can not be used as one (superuser, member of the administrator, ...)."""


@dataclass
class RoleReport:
    role: str
    database: str
    created: bool = False
    password_set: bool = False
    steps: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """What was done, in German (the CLI prints it)."""
        head = (f"Rolle «{self.role}» erstellt." if self.created else f"Rolle «{self.role}» besteht bereits.")
        if self.password_set:
            head += " Passwort gesetzt."
        return [head, *self.steps]


# the objects in a schema the role does not own yet (a store created before the split): kind and quoted name
_OWNED_OBJECTS = """
WITH r AS (SELECT oid FROM pg_roles WHERE rolname = %(role)s),
     n AS (SELECT oid, nspname FROM pg_namespace WHERE nspname = %(schema)s)
SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE'
       ELSE 'TABLE' END, format('%%I.%%I', n.nspname, c.relname)
  FROM pg_class c JOIN n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relowner <> (SELECT oid FROM r)
UNION ALL
SELECT 'SEQUENCE', format('%%I.%%I', n.nspname, c.relname)
  FROM pg_class c JOIN n ON n.oid = c.relnamespace
 WHERE c.relkind = 'S' AND c.relowner <> (SELECT oid FROM r)
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                   AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))
UNION ALL
SELECT 'TYPE', format('%%I.%%I', n.nspname, t.typname)
  FROM pg_type t JOIN n ON n.oid = t.typnamespace LEFT JOIN pg_class c ON c.oid = t.typrelid
 WHERE t.typowner <> (SELECT oid FROM r) AND ((t.typtype = 'c' AND c.relkind = 'c') OR t.typtype IN ('e', 'd', 'r'))
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END,
       format('%%I.%%I(%%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid))
  FROM pg_proc p JOIN n ON n.oid = p.pronamespace
 WHERE p.prokind IN ('f', 'p') AND p.proowner <> (SELECT oid FROM r)
"""


def prepare_service_role(admin_url: str, role: str, password: str | None = None) -> RoleReport:
    """Connected as the administrator (a superuser, or the owner of the database able to SET ROLE to `role`):
    create `role` if missing, let it connect and create schemas, give it the portal's schemas and keep the
    access log for the administrator. Raises RoleSetupError for a role that would defeat the split."""
    from psycopg import sql

    ident = sql.Identifier(role)
    with connect_postgres(admin_url) as conn:
        admin, database = conn.execute("SELECT current_user, current_database()").fetchone()
        report = RoleReport(role=role, database=database)
        if role == admin:
            raise RoleSetupError(f"Die Dienstrolle «{role}» ist die Administratorrolle selbst; bitte eine "
                                 "eigene Rolle für die Dienste angeben.")
        found = conn.execute("SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        if found is None:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
                                 "NOBYPASSRLS").format(ident))
            report.created = True
        else:
            if found[0]:
                raise RoleSetupError(f"Die Rolle «{role}» ist Superuser; für sie gelten keine Rechte. Bitte eine "
                                     "Rolle ohne SUPERUSER verwenden.")
            if found[1]:
                raise RoleSetupError(f"Die Rolle «{role}» darf Rollen verwalten (CREATEROLE) und könnte sich "
                                     "selbst Rechte geben. Bitte eine Rolle ohne CREATEROLE verwenden.")
            conn.execute(sql.SQL("ALTER ROLE {} LOGIN").format(ident))
        if conn.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", (role, admin)).fetchone()[0]:
            raise RoleSetupError(f"Die Rolle «{role}» ist Mitglied von «{admin}» und hätte damit dessen Rechte. "
                                 f"Bitte die Mitgliedschaft aufheben (REVOKE \"{admin}\" FROM \"{role}\").")
        if password:
            conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(ident, sql.Literal(password)))
            report.password_set = True

        with conn.transaction():
            # the same lock as AccessLog._ensure: a service starting now waits until the log is ready
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (DDL_LOCK,))
            conn.execute(sql.SQL("GRANT CONNECT, CREATE ON DATABASE {} TO {}").format(
                sql.Identifier(database), ident))
            report.steps.append(f"Datenbank «{database}»: Verbinden und Schemas anlegen erlaubt.")

            for schema in SERVICE_SCHEMAS:
                s = sql.Identifier(schema)
                conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(s))
                conn.execute(sql.SQL("ALTER SCHEMA {} OWNER TO {}").format(s, ident))
                moved = 0
                for kind, name in conn.execute(_OWNED_OBJECTS, {"schema": schema, "role": role}).fetchall():
                    # `name` is quoted by PostgreSQL itself (format %I)
                    conn.execute(sql.SQL("ALTER {} {} OWNER TO {}").format(sql.SQL(kind), sql.SQL(name), ident))
                    moved += 1
                extra = f" ({moved} bestehende Objekte übertragen)" if moved else ""
                report.steps.append(f"Schema «{schema}» gehört «{role}»{extra}.")

            # the access log: created and owned by the administrator; the service role may only add and read
            for stmt in PG_DDL:
                conn.execute(stmt)
            a = sql.Identifier(ACCESS_SCHEMA)
            conn.execute(sql.SQL("ALTER SCHEMA {} OWNER TO CURRENT_USER").format(a))
            conn.execute(sql.SQL("ALTER TABLE {}.access_log OWNER TO CURRENT_USER").format(a))  # and its sequence
            conn.execute(sql.SQL("ALTER FUNCTION {}.refuse_change() OWNER TO CURRENT_USER").format(a))
            # whatever the role had before (one role for everything) is taken back, then the minimum given
            conn.execute(sql.SQL("REVOKE ALL ON SCHEMA {} FROM {}").format(a, ident))
            conn.execute(sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(a, ident))
            conn.execute(sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA {} FROM {}").format(a, ident))
            conn.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(a, ident))
            conn.execute(sql.SQL("GRANT INSERT, SELECT ON {}.access_log TO {}").format(a, ident))
            seq = conn.execute("SELECT pg_get_serial_sequence(%s, 'id')", (f"{ACCESS_SCHEMA}.access_log",)
                               ).fetchone()[0]
            conn.execute(sql.SQL("GRANT USAGE ON SEQUENCE {} TO {}").format(sql.SQL(seq), ident))
            report.steps.append(f"Zugriffsprotokoll «{ACCESS_SCHEMA}.access_log» gehört «{admin}»; «{role}» darf "
                                "nur Einträge hinzufügen und lesen (kein Ändern, Löschen, Leeren, kein Trigger).")
    return report
