"""PostgreSQL only: the database itself refuses to change or delete access-log rows, and a
BRIN index keeps time-range queries fast over years of rows. The table is ready to be turned
into a monthly-partitioned table (README: Access log) when it passes ~100 million rows."""

from django.db import migrations

FORWARD = """
CREATE INDEX IF NOT EXISTS accesslog_at_brin ON audit_accesslogentry USING brin (at);
CREATE OR REPLACE FUNCTION audit_accesslog_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The access log is append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_accesslog_append_only ON audit_accesslogentry;
CREATE TRIGGER audit_accesslog_append_only
    BEFORE UPDATE OR DELETE ON audit_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION audit_accesslog_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_accesslog_append_only ON audit_accesslogentry;
DROP FUNCTION IF EXISTS audit_accesslog_refuse_change();
DROP INDEX IF EXISTS accesslog_at_brin;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
