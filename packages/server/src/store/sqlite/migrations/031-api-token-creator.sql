-- The user who created each API token (auth): the token is revoked when that user is deleted.
-- NULL for tokens made before this column, or by the command line.
ALTER TABLE api_tokens ADD COLUMN created_by TEXT;
CREATE INDEX api_tokens_created_by ON api_tokens (tenant_id, created_by);
