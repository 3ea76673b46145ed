#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into the database named by DATABASE_URL.
#   scripts/restore.sh FILE
# The database must exist (createdb) and should be empty; stop the app while restoring.
# Objects in the backup replace those of the same name (--clean --if-exists).
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the database to restore into}"
file="${1:?name the backup file to restore}"
pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error \
  --single-transaction --dbname="$DATABASE_URL" "$file"
echo "Restored $file"
