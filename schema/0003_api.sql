-- The HTTP API (`domicile serve`) and its tokens.

-- Two scopes: `read` for every API route, `reports` for the generated reports only.
ALTER TABLE api_token DROP CONSTRAINT api_token_scope_check;
ALTER TABLE api_token ADD CONSTRAINT api_token_scope_check CHECK (scope IN ('read', 'reports'));

-- A token's last use is bookkeeping, not a change to the registry: recording it must not
-- write an audit row nor bump the registry revision (which every ETag is derived from).
-- Creating, revoking or changing a token is still audited.
DROP TRIGGER api_token_audit ON api_token;
CREATE TRIGGER api_token_audit
    AFTER INSERT OR DELETE OR UPDATE OF name, token_hash, scope, expires_at, revoked_at ON api_token
    FOR EACH ROW EXECUTE FUNCTION audit_row('$1->>''name''', 'token');

-- The server reads the last use to record it at most once a minute per token.
GRANT SELECT (last_used_at) ON api_token TO domicile_reader;
