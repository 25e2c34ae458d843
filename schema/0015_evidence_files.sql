-- 0015_evidence_files: a file (a contract, a DPA, an audit report, a certificate) attached to
-- an entrustment, an assessment answer or a vendor (`domicile evidence`, docs/evidence.md).
--
-- * The bytes live once per SHA-256 in evidence_content, which checks the hash and the size
--   against the bytes themselves; an attachment (evidence) names them by hash and size. The
--   audit trigger records each attachment (its subject, name, media type, hash and size),
--   never the bytes: an audit row of a 20 MiB file stays a few hundred bytes.
-- * Bytes are never changed: the writer may insert and delete them (an attachment removed
--   takes its bytes with it when nothing else names them), not update them.
-- * The API's role (domicile_reader) may list attachments but cannot read evidence_content:
--   it reads one file's bytes by id through evidence_file(), the one granted path.

CREATE TABLE evidence_content (
    sha256     text PRIMARY KEY,
    size_bytes bigint NOT NULL,
    content    bytea NOT NULL,
    CONSTRAINT evidence_content_size_matches CHECK (size_bytes = octet_length(content)),
    -- the hash is lower-case hex of the bytes: nothing else can be stored under it
    CONSTRAINT evidence_content_hash_matches CHECK (encode(sha256(content), 'hex') = sha256),
    UNIQUE (sha256, size_bytes)
);

CREATE TABLE evidence (
    id             bigserial PRIMARY KEY,
    entrustment_id bigint REFERENCES entrustment (id),
    assessment_id  bigint REFERENCES assessment (id),
    item_id        text CONSTRAINT evidence_item_id_length CHECK (char_length(item_id) BETWEEN 1 AND 80),
    vendor_id      bigint REFERENCES vendor (id),
    file_name      text NOT NULL CONSTRAINT evidence_file_name_plain
        CHECK (char_length(file_name) BETWEEN 1 AND 255 AND file_name !~ '[/\\[:cntrl:]]' AND file_name NOT IN ('.', '..')),
    media_type     text NOT NULL CONSTRAINT evidence_media_type_form
        CHECK (char_length(media_type) <= 127 AND media_type ~ '^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$'),
    sha256         text NOT NULL,
    size_bytes     bigint NOT NULL,
    description    short_text,
    added_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT evidence_content_fkey FOREIGN KEY (sha256, size_bytes) REFERENCES evidence_content (sha256, size_bytes),
    CONSTRAINT evidence_one_subject CHECK (num_nonnulls(entrustment_id, assessment_id, vendor_id) = 1),
    CONSTRAINT evidence_item_with_assessment CHECK ((assessment_id IS NULL) = (item_id IS NULL)),
    -- the same file under the same name once per subject
    UNIQUE NULLS NOT DISTINCT (entrustment_id, assessment_id, item_id, vendor_id, sha256, file_name)
);
CREATE INDEX evidence_entrustment ON evidence (entrustment_id) WHERE entrustment_id IS NOT NULL;
CREATE INDEX evidence_assessment ON evidence (assessment_id) WHERE assessment_id IS NOT NULL;
CREATE INDEX evidence_vendor ON evidence (vendor_id) WHERE vendor_id IS NOT NULL;
CREATE INDEX evidence_sha256 ON evidence (sha256);

CREATE TRIGGER evidence_audit AFTER INSERT OR UPDATE OR DELETE ON evidence
    FOR EACH ROW EXECUTE FUNCTION audit_row('$1->>''id''', 'evidence');

-- One attachment's metadata and bytes (base64, as the wrapper speaks text), by id.
CREATE FUNCTION evidence_file(evidence_id bigint)
    RETURNS TABLE (id bigint, file_name text, media_type text, sha256 text, size_bytes bigint, content_base64 text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT e.id, e.file_name, e.media_type, e.sha256, e.size_bytes, encode(c.content, 'base64')
    FROM evidence e JOIN evidence_content c ON c.sha256 = e.sha256
    WHERE e.id = evidence_id
$$;
REVOKE EXECUTE ON FUNCTION evidence_file(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION evidence_file(bigint) TO domicile_reader, domicile_writer;

REVOKE ALL ON evidence_content FROM domicile_reader;
REVOKE UPDATE ON evidence_content FROM domicile_writer;
REVOKE UPDATE ON evidence FROM domicile_writer;
GRANT SELECT, INSERT, DELETE ON evidence_content TO domicile_writer;
GRANT SELECT, INSERT, DELETE ON evidence TO domicile_writer;
GRANT SELECT ON evidence TO domicile_reader;
