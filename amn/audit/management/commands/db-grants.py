"""`amn db-grants ROLE`: give the application's PostgreSQL role what it needs and no more —
in particular no UPDATE, DELETE or TRUNCATE on the audit trail."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg import sql

from amn.audit.models import AuditEvent

APPEND_ONLY_TABLES = [AuditEvent._meta.db_table, "auditlog_logentry"]


def grant_statements(role: str) -> list[sql.Composed]:
    """The GRANT/REVOKE statements for `role` (PostgreSQL identifiers quoted)."""
    who = sql.Identifier(role)
    statements = [
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(who),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(
            who
        ),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(who),
    ]
    for table in APPEND_ONLY_TABLES:
        statements.append(
            sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
                sql.Identifier(table), who
            )
        )
    return statements


class Command(BaseCommand):
    help = (
        "PostgreSQL only: grant ROLE (the role the application connects as; migrations run as "
        "the owner) read/write on Amn's tables except UPDATE/DELETE/TRUNCATE on the audit trail."
    )

    def add_arguments(self, parser):
        parser.add_argument("role")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("db-grants applies to PostgreSQL; SQLite has no database roles")
        with connection.cursor() as cursor:
            for statement in grant_statements(options["role"]):
                cursor.execute(statement)
        self.stdout.write(f"granted {options['role']}: audit trail is insert-only")
