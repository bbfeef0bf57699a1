"""Make the audit table append-only in the database itself, after taking names out of old rows.

Before the lock: ``actor_label`` held the actor's username, which can name a person; existing
rows get the "role:id" label new rows get, and e-mail addresses inside details are replaced.
Then triggers refuse every UPDATE and DELETE (and TRUNCATE on PostgreSQL), whoever issues it.
The SQL is written out here, not imported, so this migration means the same thing forever.
"""

import re

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")

SQLITE = [
    "CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only: UPDATE refused'); END",
    "CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only: DELETE refused'); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
]
POSTGRESQL = [
    """CREATE FUNCTION audit_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$""",
    "CREATE TRIGGER audit_auditevent_no_update_delete BEFORE UPDATE OR DELETE ON audit_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only()",
    "CREATE TRIGGER audit_auditevent_no_truncate BEFORE TRUNCATE ON audit_auditevent "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_append_only()",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update_delete ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_auditevent_append_only()",
]
STATEMENTS = {"sqlite": (SQLITE, SQLITE_REVERSE), "postgresql": (POSTGRESQL, POSTGRESQL_REVERSE)}


def _statements(schema_editor, reverse):
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise NotImplementedError(f"No append-only audit triggers for {vendor}; use SQLite or PostgreSQL.")
    return STATEMENTS[vendor][reverse]


def lock(apps, schema_editor):
    for sql in _statements(schema_editor, reverse=False):
        schema_editor.execute(sql, params=None)


def unlock(apps, schema_editor):
    for sql in _statements(schema_editor, reverse=True):
        schema_editor.execute(sql, params=None)


def _scrub(value):
    if isinstance(value, str):
        return EMAIL.sub("[e-mail address]", value)
    if isinstance(value, list):
        return [_scrub(item) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item) for key, item in value.items()}
    return value


def relabel(apps, schema_editor):
    """Old rows: the actor's role and id instead of their username; no e-mail addresses."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for event in AuditEvent.objects.select_related("actor").iterator():
        if event.actor is not None:
            label = f"{event.actor.role}:{event.actor_id}"
        elif event.actor_label in ("system", "anonymous"):
            label = event.actor_label
        else:
            label = "deleted user"
        detail = _scrub(event.detail)
        if (label, detail) != (event.actor_label, event.detail):
            AuditEvent.objects.filter(pk=event.pk).update(actor_label=label, detail=detail)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("accounts", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="actor_label",
            field=models.CharField(
                help_text="The actor's role and user id at the time (e.g. clinician:12), "
                "'system' or 'anonymous'; never a name.",
                max_length=200,
            ),
        ),
        migrations.RunPython(relabel, migrations.RunPython.noop),
        migrations.RunPython(lock, unlock),
    ]
