#!/usr/bin/env bash
# Run once by the postgres image on an empty data directory (/docker-entrypoint-initdb.d):
# one role and one database per service, each owning only its own database
# (services never read one another's tables, DESIGN.md §2).
#   LIENTHONG_DATABASES    service names (default: the six services)
#   LIENTHONG_DB_PASSWORD  password of every service role (development default: lienthong)
set -euo pipefail

databases="${LIENTHONG_DATABASES:-registry documents signing routing archive reporting}"
password="${LIENTHONG_DB_PASSWORD:-lienthong}"

for name in $databases; do
  echo "init-databases: role and database lienthong_${name}"
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
       -v name="lienthong_${name}" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'name', :'password')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'name') \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING ''UTF8''', :'name', :'name')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'name') \gexec
SQL
done
