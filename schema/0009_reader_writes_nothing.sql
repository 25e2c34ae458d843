-- 0009_reader_writes_nothing: domicile_reader, the role `domicile serve` acts as, could
-- UPDATE one column, api_token.last_used_at, to record a token's last use. Now it can
-- write nothing itself: the use is recorded by record_token_use(id), which runs as the
-- schema's owner and sets only last_used_at, only for an unrevoked token, at most once a
-- minute. (The function is the reader's one way to change anything, and what it changes is
-- bookkeeping: neither audited nor part of the registry revision, 0003.)

REVOKE UPDATE (last_used_at) ON api_token FROM domicile_reader;

CREATE FUNCTION record_token_use(token_id bigint) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    UPDATE api_token SET last_used_at = now()
    WHERE id = token_id AND revoked_at IS NULL
      AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute');
$$;

REVOKE ALL ON FUNCTION record_token_use(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION record_token_use(bigint) TO domicile_reader;
