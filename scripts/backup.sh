#!/usr/bin/env bash
# Back up the HLT database to one file (PostgreSQL custom format, compressed).
#   scripts/backup.sh [FILE]        default: backups/hlt-YYYYmmdd-HHMMSS.dump
# Reads DATABASE_URL (postgres://user:password@host:port/name). Uploaded scans live in
# MEDIA_ROOT (or the configured storage): back that up alongside with your file backups.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
file="${1:-backups/hlt-$(date +%Y%m%d-%H%M%S).dump}"
mkdir -p "$(dirname "$file")"
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$file"
echo "Backup written to $file"
