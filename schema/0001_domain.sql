-- 0001_domain: the whole Domicile domain (DESIGN.md §3).
--
-- Conventions
-- * Every registry record has a stable, human-chosen `key` (lower-case slug) that
--   import, export and the CLI use; `id` is internal.
-- * Facts that change over time carry valid_from / valid_to (valid time, inclusive
--   start, exclusive end). "As of D" means valid_from <= D AND (valid_to IS NULL OR D < valid_to).
-- * Every insert and update of a registry table is written to audit_log by a trigger
--   in the same transaction, with the actor taken from the transaction setting
--   `domicile.actor`. Nothing is physically deleted: records are ended or retired.
-- * audit_log is append-only: a trigger refuses UPDATE, DELETE and TRUNCATE.

CREATE DOMAIN record_key AS text
    CHECK (VALUE ~ '^[a-z0-9][a-z0-9._-]{0,79}$');
CREATE DOMAIN country_code AS text
    CHECK (VALUE ~ '^[A-Z]{2}$');
CREATE DOMAIN short_text AS text
    CHECK (char_length(VALUE) BETWEEN 1 AND 500);
CREATE DOMAIN long_text AS text
    CHECK (char_length(VALUE) BETWEEN 1 AND 10000);
CREATE DOMAIN web_url AS text
    CHECK (VALUE ~ '^https?://[^[:space:]]+$' AND char_length(VALUE) <= 2000);

-- ---------------------------------------------------------------- reference data

CREATE TABLE country (
    code            country_code PRIMARY KEY,
    alpha3          text NOT NULL UNIQUE CHECK (alpha3 ~ '^[A-Z]{3}$'),
    numeric_code    text NOT NULL CHECK (numeric_code ~ '^[0-9]{3}$'),
    name_en         short_text NOT NULL,
    name_ja         short_text,
    official_name_en short_text
);

-- Per-country regime facts, dated: a new row (with a later effective_from) supersedes.
CREATE TABLE country_regime (
    country_code      country_code NOT NULL REFERENCES country (code),
    effective_from    date NOT NULL,
    effective_to      date,
    eu_member         boolean NOT NULL,
    eea_member        boolean NOT NULL,
    eu_adequacy       text NOT NULL CHECK (eu_adequacy IN ('yes', 'partial', 'no', 'not_applicable')),
    eu_adequacy_note  text,
    jp_ppc_equivalent text NOT NULL CHECK (jp_ppc_equivalent IN ('yes', 'no', 'home')),
    apec_cbpr         boolean NOT NULL,
    ppc_survey        text NOT NULL CHECK (ppc_survey IN ('yes', 'no', 'not_applicable')),
    comprehensive_law text NOT NULL CHECK (comprehensive_law IN ('yes', 'partial', 'no', 'uncertain')),
    law_name          text,
    localization      text NOT NULL CHECK (localization IN ('none', 'sectoral', 'broad', 'uncertain')),
    localization_note text,
    confidence        text NOT NULL CHECK (confidence IN ('verified', 'partial', 'general')),
    confidence_note   text,
    source            text NOT NULL,
    verified_on       date NOT NULL,
    PRIMARY KEY (country_code, effective_from),
    CHECK (effective_to IS NULL OR effective_to > effective_from)
);

CREATE TABLE cloud_provider (
    key          record_key PRIMARY KEY,
    name         short_text NOT NULL,
    headquarters country_code NOT NULL REFERENCES country (code)
);

CREATE TABLE cloud_region (
    provider     record_key NOT NULL REFERENCES cloud_provider (key),
    code         text NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,39}$'),
    country_code country_code NOT NULL REFERENCES country (code),
    city         short_text,
    verified_on  date NOT NULL,
    source       text NOT NULL,
    PRIMARY KEY (provider, code)
);

CREATE TABLE data_category (
    key         text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$'),
    parent_key  text REFERENCES data_category (key),
    name_en     short_text NOT NULL,
    name_ja     short_text,
    description long_text,
    sensitive   boolean NOT NULL DEFAULT false,
    -- a dotted key's parent is the key without its last segment
    CHECK ((parent_key IS NULL AND position('.' in key) = 0)
        OR (parent_key IS NOT NULL AND key LIKE parent_key || '.%'
            AND position('.' in substr(key, char_length(parent_key) + 2)) = 0))
);

CREATE TABLE purpose (
    key         record_key PRIMARY KEY,
    name_en     long_text NOT NULL,
    name_ja     long_text,
    description long_text
);

CREATE TABLE purpose_category (
    purpose_key  record_key NOT NULL REFERENCES purpose (key),
    category_key text NOT NULL REFERENCES data_category (key),
    PRIMARY KEY (purpose_key, category_key)
);

CREATE TABLE checklist_template (
    key         record_key PRIMARY KEY,
    version     short_text NOT NULL,
    title_en    short_text NOT NULL,
    title_ja    short_text,
    source      long_text
);

CREATE TABLE checklist_item (
    template_key  record_key NOT NULL REFERENCES checklist_template (key),
    item_id       text NOT NULL CHECK (item_id ~ '^[A-Z]+(-[A-Z]+)*-[0-9]+[a-z]?$'),
    group_code    text NOT NULL CHECK (group_code IN
                    ('BP', 'RUL', 'ORG', 'HUM', 'PHY', 'TEC', 'EXT', 'SEL', 'CON', 'MON', 'SUB', 'USE', 'CLD')),
    section       short_text,
    title_en      short_text NOT NULL,
    title_ja      short_text,
    description   long_text NOT NULL,
    evidence_hint long_text,
    mandatory     boolean NOT NULL,
    confidence    text NOT NULL CHECK (confidence IN ('verified', 'partial', 'general')),
    source        short_text,
    position      integer NOT NULL CHECK (position >= 0),
    PRIMARY KEY (template_key, item_id),
    -- deferred, so a seed can reorder items inside one transaction
    UNIQUE (template_key, position) DEFERRABLE INITIALLY DEFERRED
);

-- ---------------------------------------------------------------- registry

CREATE TABLE organization (
    id                   bigserial PRIMARY KEY,
    key                  record_key NOT NULL UNIQUE,
    name                 short_text NOT NULL,
    name_ja              short_text,
    country_code         country_code NOT NULL REFERENCES country (code),
    address              long_text,
    representative       short_text,
    privacy_contact_name short_text,
    privacy_contact_email text CHECK (privacy_contact_email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
    privacy_contact_url  web_url,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE service (
    id              bigserial PRIMARY KEY,
    key             record_key NOT NULL UNIQUE,
    name            short_text NOT NULL,
    organization_id bigint NOT NULL REFERENCES organization (id),
    description     long_text,
    url             web_url,
    owner           short_text,
    valid_from      date NOT NULL,
    valid_to        date,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);

CREATE TABLE vendor (
    id                bigserial PRIMARY KEY,
    key               record_key NOT NULL UNIQUE,
    legal_name        short_text NOT NULL,
    name_ja           short_text,
    aliases           text[] NOT NULL DEFAULT '{}',
    kinds             text[] NOT NULL CHECK (cardinality(kinds) >= 1 AND kinds <@ ARRAY[
                        'cloud_provider', 'entrustee', 'third_party_recipient', 'transmission_recipient']),
    headquarters      country_code NOT NULL REFERENCES country (code),
    website           web_url,
    trust_url         web_url,
    privacy_url       web_url,
    dpa_url           web_url,
    subprocessors_url web_url,
    certifications    text[] NOT NULL DEFAULT '{}' CHECK (certifications <@ ARRAY[
                        'iso27001', 'iso27017', 'iso27018', 'iso27701', 'pmark', 'soc2', 'apec_cbpr', 'apec_prp', 'dpf']),
    risk_tier         text NOT NULL CHECK (risk_tier IN ('low', 'medium', 'high', 'critical')),
    owner             short_text,
    notes             long_text,
    valid_from        date NOT NULL,
    valid_to          date,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_to IS NULL OR valid_to > valid_from),
    CHECK (array_position(aliases, NULL) IS NULL AND array_position(kinds, NULL) IS NULL)
);
CREATE UNIQUE INDEX vendor_legal_name_ci ON vendor (lower(legal_name));

CREATE TABLE vendor_contact (
    vendor_id bigint NOT NULL REFERENCES vendor (id),
    position  integer NOT NULL CHECK (position >= 0),
    name      short_text NOT NULL,
    role      short_text,
    email     text CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
    PRIMARY KEY (vendor_id, position)
);

CREATE TABLE residency (
    id                bigserial PRIMARY KEY,
    key               record_key NOT NULL UNIQUE,
    service_id        bigint NOT NULL REFERENCES service (id),
    vendor_id         bigint NOT NULL REFERENCES vendor (id),
    role              text NOT NULL CHECK (role IN ('storage', 'processing', 'backup', 'remote_access')),
    -- exactly one of: a country, or the undisclosed state with its reason
    country_code      country_code REFERENCES country (code),
    undisclosed_reason long_text,
    candidate_countries text[] NOT NULL DEFAULT '{}',
    region_provider   record_key,
    region_code       text,
    source            long_text NOT NULL,
    verified_on       date NOT NULL,
    asserted_by       short_text NOT NULL,
    notes             long_text,
    valid_from        date NOT NULL,
    valid_to          date,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (region_provider, region_code) REFERENCES cloud_region (provider, code),
    CHECK ((country_code IS NOT NULL AND undisclosed_reason IS NULL AND cardinality(candidate_countries) = 0)
        OR (country_code IS NULL AND undisclosed_reason IS NOT NULL)),
    CHECK ((region_provider IS NULL) = (region_code IS NULL)),
    CHECK (region_code IS NULL OR country_code IS NOT NULL),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);

CREATE TABLE residency_category (
    residency_id bigint NOT NULL REFERENCES residency (id),
    category_key text NOT NULL REFERENCES data_category (key),
    PRIMARY KEY (residency_id, category_key)
);

CREATE TABLE entrustment (
    id                     bigserial PRIMARY KEY,
    key                    record_key NOT NULL UNIQUE,
    service_id             bigint NOT NULL REFERENCES service (id),
    vendor_id              bigint NOT NULL REFERENCES vendor (id),
    description            long_text,
    cloud_exception        boolean NOT NULL DEFAULT false,
    cloud_exception_basis  long_text,
    contract_reference     short_text,
    contract_signed_on     date,
    contract_expires_on    date,
    contract_renewal       text NOT NULL DEFAULT 'none' CHECK (contract_renewal IN ('automatic', 'manual', 'none')),
    contract_notice_days   integer CHECK (contract_notice_days BETWEEN 0 AND 3650),
    dpa_signed_on          date,
    dpa_expires_on         date,
    reentrustment          text NOT NULL DEFAULT 'prohibited'
                             CHECK (reentrustment IN ('prohibited', 'prior_approval', 'prior_notice', 'allowed')),
    valid_from             date NOT NULL,
    valid_to               date,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    CHECK (NOT cloud_exception OR cloud_exception_basis IS NOT NULL),
    CHECK (contract_expires_on IS NULL OR contract_signed_on IS NULL OR contract_expires_on > contract_signed_on),
    CHECK (dpa_expires_on IS NULL OR dpa_signed_on IS NULL OR dpa_expires_on > dpa_signed_on),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);

CREATE TABLE entrustment_purpose (
    entrustment_id bigint NOT NULL REFERENCES entrustment (id),
    purpose_key    record_key NOT NULL REFERENCES purpose (key),
    PRIMARY KEY (entrustment_id, purpose_key)
);

CREATE TABLE entrustment_category (
    entrustment_id bigint NOT NULL REFERENCES entrustment (id),
    category_key   text NOT NULL REFERENCES data_category (key),
    PRIMARY KEY (entrustment_id, category_key)
);

-- Sub-entrustees at any depth: each names the vendor it works for (`via`); the first
-- level works for the entrustment's own vendor.
CREATE TABLE sub_entrustee (
    entrustment_id bigint NOT NULL REFERENCES entrustment (id),
    vendor_id      bigint NOT NULL REFERENCES vendor (id),
    via_vendor_id  bigint NOT NULL REFERENCES vendor (id),
    countries      text[] NOT NULL DEFAULT '{}',
    work           long_text,
    approved_on    date,
    PRIMARY KEY (entrustment_id, vendor_id),
    CHECK (vendor_id <> via_vendor_id)
);

CREATE TABLE provision (
    id                   bigserial PRIMARY KEY,
    key                  record_key NOT NULL UNIQUE,
    service_id           bigint NOT NULL REFERENCES service (id),
    recipient_id         bigint NOT NULL REFERENCES vendor (id),
    basis                text NOT NULL CHECK (basis IN ('consent', 'legal_exception', 'opt_out', 'joint_use')),
    legal_exception      long_text,
    purpose              long_text NOT NULL,
    recipient_country    country_code NOT NULL REFERENCES country (code),
    foreign_info_given   boolean NOT NULL DEFAULT false,
    retention_years      integer NOT NULL DEFAULT 3 CHECK (retention_years BETWEEN 1 AND 30),
    valid_from           date NOT NULL,
    valid_to             date,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CHECK (basis <> 'legal_exception' OR legal_exception IS NOT NULL),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);

CREATE TABLE provision_category (
    provision_id bigint NOT NULL REFERENCES provision (id),
    category_key text NOT NULL REFERENCES data_category (key),
    PRIMARY KEY (provision_id, category_key)
);

CREATE TABLE provision_record (
    provision_id  bigint NOT NULL REFERENCES provision (id),
    provided_on   date NOT NULL,
    data_subjects short_text NOT NULL,
    items         long_text NOT NULL,
    consent_reference short_text,
    retain_until  date NOT NULL,
    PRIMARY KEY (provision_id, provided_on, data_subjects),
    CHECK (retain_until > provided_on)
);

CREATE TABLE transmission (
    id                bigserial PRIMARY KEY,
    key               record_key NOT NULL UNIQUE,
    service_id        bigint NOT NULL REFERENCES service (id),
    tool              short_text NOT NULL,
    recipient_id      bigint NOT NULL REFERENCES vendor (id),
    information       text[] NOT NULL CHECK (cardinality(information) >= 1),
    information_ja    text[] NOT NULL DEFAULT '{}',
    purpose           long_text NOT NULL,
    purpose_ja        long_text,
    basis             text NOT NULL CHECK (basis IN ('notice', 'consent', 'opt_out', 'necessary')),
    opt_out_url       web_url,
    recipient_country country_code REFERENCES country (code),
    valid_from        date NOT NULL,
    valid_to          date,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (basis <> 'opt_out' OR opt_out_url IS NOT NULL),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);

CREATE TABLE transmission_category (
    transmission_id bigint NOT NULL REFERENCES transmission (id),
    category_key    text NOT NULL REFERENCES data_category (key),
    PRIMARY KEY (transmission_id, category_key)
);

CREATE TABLE assessment (
    id              bigserial PRIMARY KEY,
    key             record_key NOT NULL UNIQUE,
    template_key    record_key NOT NULL REFERENCES checklist_template (key),
    organization_id bigint REFERENCES organization (id),
    vendor_id       bigint REFERENCES vendor (id),
    assessed_on     date NOT NULL,
    assessor        short_text NOT NULL,
    next_review_on  date NOT NULL,
    notes           long_text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((organization_id IS NULL) <> (vendor_id IS NULL)),
    CHECK (next_review_on > assessed_on)
);

CREATE TABLE assessment_answer (
    assessment_id bigint NOT NULL REFERENCES assessment (id),
    template_key  record_key NOT NULL,
    item_id       text NOT NULL,
    status        text NOT NULL CHECK (status IN ('met', 'partial', 'unmet', 'not_applicable')),
    evidence      long_text,
    note          long_text,
    PRIMARY KEY (assessment_id, item_id),
    FOREIGN KEY (template_key, item_id) REFERENCES checklist_item (template_key, item_id),
    CHECK (status NOT IN ('met', 'partial') OR evidence IS NOT NULL)
);

-- ---------------------------------------------------------------- API tokens

CREATE TABLE api_token (
    id           bigserial PRIMARY KEY,
    name         record_key NOT NULL UNIQUE,
    token_hash   text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    scope        text NOT NULL DEFAULT 'read' CHECK (scope IN ('read')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    CHECK (expires_at IS NULL OR expires_at > created_at)
);

-- ---------------------------------------------------------------- integrity triggers

-- Arrays of country codes cannot carry foreign keys; check them here.
CREATE FUNCTION check_country_array() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    codes text[];
    missing text;
BEGIN
    EXECUTE format('SELECT ($1).%I', TG_ARGV[0]) INTO codes USING NEW;
    SELECT coalesce(c, 'NULL') INTO missing FROM unnest(codes) AS c
    WHERE c IS NULL OR NOT EXISTS (SELECT 1 FROM country WHERE code = c) LIMIT 1;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'unknown country code % in %.%', missing, TG_TABLE_NAME, TG_ARGV[0]
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = TG_TABLE_NAME || '_' || TG_ARGV[0] || '_fkey';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER residency_candidates_exist BEFORE INSERT OR UPDATE ON residency
    FOR EACH ROW EXECUTE FUNCTION check_country_array('candidate_countries');
CREATE TRIGGER sub_entrustee_countries_exist BEFORE INSERT OR UPDATE ON sub_entrustee
    FOR EACH ROW EXECUTE FUNCTION check_country_array('countries');

-- A residency's region must lie in the residency's country.
CREATE FUNCTION check_residency_region() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.region_code IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM cloud_region
        WHERE provider = NEW.region_provider AND code = NEW.region_code AND country_code = NEW.country_code) THEN
        RAISE EXCEPTION 'region %/% is not in country %', NEW.region_provider, NEW.region_code, NEW.country_code
            USING ERRCODE = 'check_violation', CONSTRAINT = 'residency_region_country_check';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER residency_region_in_country BEFORE INSERT OR UPDATE ON residency
    FOR EACH ROW EXECUTE FUNCTION check_residency_region();

-- ---------------------------------------------------------------- revision and audit

-- A counter every registry write bumps; API responses derive their ETag from it.
CREATE TABLE registry_revision (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    revision   bigint NOT NULL,
    changed_at timestamptz NOT NULL
);
INSERT INTO registry_revision VALUES (true, 0, now());

CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    txid        bigint NOT NULL DEFAULT txid_current(),
    actor       text NOT NULL CHECK (char_length(actor) BETWEEN 1 AND 200),
    -- the database login that made the change, whatever actor it named
    db_user     text NOT NULL DEFAULT session_user,
    entity      text NOT NULL,
    entity_key  text NOT NULL,
    action      text NOT NULL CHECK (action IN ('add', 'edit', 'end', 'delete')),
    before      jsonb,
    after       jsonb,
    CHECK (before IS NOT NULL OR after IS NOT NULL)
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_key, at);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- An audited row as an auditor reads it: each reference to another record (vendor_id, …)
-- is joined by that record's key (vendor_key), so before and after say "aws", not "5".
CREATE FUNCTION audit_document(row_data jsonb) RETURNS jsonb LANGUAGE plpgsql STABLE
    SET search_path = public, pg_temp AS $$
DECLARE
    result jsonb := row_data - 'created_at' - 'updated_at';
    reference record;
    referenced_key text;
BEGIN
    IF row_data IS NULL THEN
        RETURN NULL;
    END IF;
    FOR reference IN
        SELECT * FROM (VALUES ('service_id', 'service'), ('vendor_id', 'vendor'), ('via_vendor_id', 'vendor'),
                              ('recipient_id', 'vendor'), ('organization_id', 'organization'),
                              ('residency_id', 'residency'), ('entrustment_id', 'entrustment'),
                              ('provision_id', 'provision'), ('transmission_id', 'transmission'),
                              ('assessment_id', 'assessment')) AS m(id_column, target)
    LOOP
        IF row_data ->> reference.id_column IS NOT NULL THEN
            EXECUTE format('SELECT key FROM %I WHERE id = $1', reference.target)
                INTO referenced_key USING (row_data ->> reference.id_column)::bigint;
            result := result || jsonb_build_object(replace(reference.id_column, '_id', '_key'), referenced_key);
        END IF;
    END LOOP;
    RETURN result;
END $$;

-- Records one audit row per changed row. SECURITY DEFINER: it runs as the schema's owner,
-- so the writer role itself needs no INSERT on audit_log and cannot forge entries. TG_ARGV[0] is the SQL expression (over the
-- row as jsonb, named r) that gives the entity key; TG_ARGV[1] the entity name.
CREATE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    actor text := coalesce(nullif(current_setting('domicile.actor', true), ''), session_user);
    old_row jsonb := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) END;
    new_row jsonb := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) END;
    entity_key text;
    action text;
BEGIN
    IF TG_OP = 'UPDATE' AND old_row = new_row THEN
        RETURN NEW;
    END IF;
    EXECUTE 'SELECT ' || TG_ARGV[0] USING coalesce(new_row, old_row) INTO entity_key;
    action := CASE TG_OP
        WHEN 'INSERT' THEN 'add'
        WHEN 'DELETE' THEN 'delete'
        ELSE CASE WHEN (old_row ->> 'valid_to') IS NULL AND (new_row ->> 'valid_to') IS NOT NULL
                  THEN 'end' ELSE 'edit' END
    END;
    INSERT INTO audit_log (actor, entity, entity_key, action, before, after)
    VALUES (actor, TG_ARGV[1], entity_key, action, audit_document(old_row), audit_document(new_row));
    UPDATE registry_revision SET revision = revision + 1, changed_at = now();
    RETURN coalesce(NEW, OLD);
END $$;

CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF to_jsonb(NEW) - 'updated_at' <> to_jsonb(OLD) - 'updated_at' THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END $$;

DO $$
DECLARE
    audited text[][] := ARRAY[
        -- table, key expression over $1 (the row as jsonb), entity name
        ['organization',        '$1->>''key''',                                   'organization'],
        ['service',             '$1->>''key''',                                   'service'],
        ['vendor',              '$1->>''key''',                                   'vendor'],
        ['vendor_contact',      '(SELECT key FROM vendor WHERE id = ($1->>''vendor_id'')::bigint) || ''#contact'' || ($1->>''position'')', 'vendor'],
        ['residency',           '$1->>''key''',                                   'residency'],
        ['residency_category',  '(SELECT key FROM residency WHERE id = ($1->>''residency_id'')::bigint) || ''#'' || ($1->>''category_key'')', 'residency'],
        ['entrustment',         '$1->>''key''',                                   'entrustment'],
        ['entrustment_purpose', '(SELECT key FROM entrustment WHERE id = ($1->>''entrustment_id'')::bigint) || ''#purpose:'' || ($1->>''purpose_key'')', 'entrustment'],
        ['entrustment_category','(SELECT key FROM entrustment WHERE id = ($1->>''entrustment_id'')::bigint) || ''#'' || ($1->>''category_key'')', 'entrustment'],
        ['sub_entrustee',       '(SELECT key FROM entrustment WHERE id = ($1->>''entrustment_id'')::bigint) || ''#sub:'' || (SELECT key FROM vendor WHERE id = ($1->>''vendor_id'')::bigint)', 'entrustment'],
        ['provision',           '$1->>''key''',                                   'provision'],
        ['provision_category',  '(SELECT key FROM provision WHERE id = ($1->>''provision_id'')::bigint) || ''#'' || ($1->>''category_key'')', 'provision'],
        ['provision_record',    '(SELECT key FROM provision WHERE id = ($1->>''provision_id'')::bigint) || ''#record:'' || ($1->>''provided_on'') || '':'' || ($1->>''data_subjects'')', 'provision'],
        ['transmission',        '$1->>''key''',                                   'transmission'],
        ['transmission_category','(SELECT key FROM transmission WHERE id = ($1->>''transmission_id'')::bigint) || ''#'' || ($1->>''category_key'')', 'transmission'],
        ['assessment',          '$1->>''key''',                                   'assessment'],
        ['assessment_answer',   '(SELECT key FROM assessment WHERE id = ($1->>''assessment_id'')::bigint) || ''#'' || ($1->>''item_id'')', 'assessment'],
        ['purpose',             '$1->>''key''',                                   'purpose'],
        ['purpose_category',    '($1->>''purpose_key'') || ''#'' || ($1->>''category_key'')', 'purpose'],
        ['data_category',       '$1->>''key''',                                   'category'],
        ['api_token',           '$1->>''name''',                                  'token'],
        -- reference data changes (by `domicile seed`) are audited too
        ['country',             '$1->>''code''',                                  'country'],
        ['country_regime',      '($1->>''country_code'') || ''#'' || ($1->>''effective_from'')', 'country'],
        ['cloud_provider',      '$1->>''key''',                                   'region'],
        ['cloud_region',        '($1->>''provider'') || ''/'' || ($1->>''code'')', 'region'],
        ['checklist_template',  '$1->>''key''',                                   'checklist'],
        ['checklist_item',      '($1->>''template_key'') || ''#'' || ($1->>''item_id'')', 'checklist']
    ];
    entry text[];
BEGIN
    FOREACH entry SLICE 1 IN ARRAY audited LOOP
        EXECUTE format(
            'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION audit_row(%L, %L)',
            entry[1] || '_audit', entry[1], entry[2], entry[3]);
    END LOOP;
END $$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['organization', 'service', 'vendor', 'residency', 'entrustment',
                             'provision', 'transmission', 'assessment'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION touch_updated_at()',
                       t || '_touch', t);
    END LOOP;
END $$;

-- ---------------------------------------------------------------- least privilege

-- domicile_writer: what the CLI needs (no DELETE on registry tables, no UPDATE/DELETE on audit).
-- domicile_reader: what the HTTP API needs (SELECT only; tokens' last use is the one write).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'domicile_reader') THEN
        CREATE ROLE domicile_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'domicile_writer') THEN
        CREATE ROLE domicile_writer NOLOGIN;
    END IF;
END $$;

GRANT SELECT ON ALL TABLES IN SCHEMA public TO domicile_reader;
REVOKE SELECT ON api_token FROM domicile_reader;
GRANT SELECT (id, name, token_hash, scope, expires_at, revoked_at) ON api_token TO domicile_reader;
GRANT UPDATE (last_used_at) ON api_token TO domicile_reader;

GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO domicile_writer;
GRANT UPDATE ON ALL TABLES IN SCHEMA public TO domicile_writer;
-- audit rows and the revision are written only by the audit trigger (SECURITY DEFINER)
REVOKE INSERT, UPDATE ON audit_log FROM domicile_writer;
REVOKE INSERT, UPDATE ON registry_revision FROM domicile_writer;
-- the migration record is the migrator's alone (a writer could otherwise hide a changed file)
REVOKE INSERT, UPDATE ON schema_migrations FROM domicile_writer;
GRANT DELETE ON residency_category, entrustment_purpose, entrustment_category, sub_entrustee,
    provision_category, transmission_category, assessment_answer, purpose_category, vendor_contact
    TO domicile_writer;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO domicile_writer;

-- Tables added by later migrations get the same grants.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO domicile_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE ON TABLES TO domicile_writer;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO domicile_writer;
