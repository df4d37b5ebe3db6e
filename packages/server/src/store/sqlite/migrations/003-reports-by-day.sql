-- Nothing to do on SQLite: the PostgreSQL dialect partitions raw reports by
-- day under this number (postgres/migrations/003-reports-by-day.sql); one
-- file holds a whole tenant's reports here, and retention deletes by rowid.
SELECT 1;
