#!/usr/bin/env bash
# Creates the Orleans tables and statements (membership, grain state, reminders) in a PostgreSQL database, once.
#   deploy/sql/postgresql/apply.sh 'postgresql://orleans:secret@db:5432/orleans'
# The argument is anything psql accepts as a connection (URI or "host=… dbname=…"); PG* variables work too.
# All four scripts run in one transaction: either the schema is complete or nothing changed.
# Running it again against a database that has the schema changes nothing.
set -euo pipefail
db=${1:?usage: apply.sh <connection URI or conninfo>}
here=$(cd "$(dirname "$0")" && pwd)

if [ "$(psql "$db" -XtAc "SELECT to_regclass('orleansquery') IS NOT NULL")" = t ]; then
  echo "apply.sh: the Orleans schema is already there; nothing to do"
  exit 0
fi
psql "$db" -X -q -v ON_ERROR_STOP=1 --single-transaction \
  -f "$here/1-main.sql" -f "$here/2-clustering.sql" -f "$here/3-persistence.sql" -f "$here/4-reminders.sql"
echo "apply.sh: created the Orleans membership, grain state and reminder tables"
