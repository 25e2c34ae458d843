-- 0005_audit_at_scale: the audit trigger of 0001, made to cost the same per row however many
-- rows a transaction writes (found by the benchmark, docs/benchmarks.md).
--
-- * The registry revision is bumped once per writing transaction, not once per row. Every
--   row's UPDATE of the one registry_revision row left a version the next UPDATE had to walk
--   past (none can be pruned before the transaction ends), so a transaction writing n rows
--   cost O(n²): 20,000 rows took 4 s, a million rows would take hours. The revision still
--   changes with every write that changes something, which is all its readers (ETags) need.
-- * The referenced records' keys and each row's entity key are read by static queries, whose
--   plans PL/pgSQL keeps, instead of EXECUTE of dynamic SQL planned again for every row. The
--   audit rows are the same as before: the expressions below are those 0001 gives each
--   trigger (a table not named here still evaluates its trigger argument).

CREATE OR REPLACE FUNCTION audit_document(row_data jsonb) RETURNS jsonb LANGUAGE plpgsql STABLE
    SET search_path = public, pg_temp AS $$
DECLARE
    result jsonb;
BEGIN
    IF row_data IS NULL THEN
        RETURN NULL;
    END IF;
    result := row_data - 'created_at' - 'updated_at';
    IF row_data ->> 'service_id' IS NOT NULL THEN
        result := result || jsonb_build_object('service_key', (SELECT key FROM service WHERE id = (row_data ->> 'service_id')::bigint));
    END IF;
    IF row_data ->> 'vendor_id' IS NOT NULL THEN
        result := result || jsonb_build_object('vendor_key', (SELECT key FROM vendor WHERE id = (row_data ->> 'vendor_id')::bigint));
    END IF;
    IF row_data ->> 'via_vendor_id' IS NOT NULL THEN
        result := result || jsonb_build_object('via_vendor_key', (SELECT key FROM vendor WHERE id = (row_data ->> 'via_vendor_id')::bigint));
    END IF;
    IF row_data ->> 'recipient_id' IS NOT NULL THEN
        result := result || jsonb_build_object('recipient_key', (SELECT key FROM vendor WHERE id = (row_data ->> 'recipient_id')::bigint));
    END IF;
    IF row_data ->> 'organization_id' IS NOT NULL THEN
        result := result || jsonb_build_object('organization_key', (SELECT key FROM organization WHERE id = (row_data ->> 'organization_id')::bigint));
    END IF;
    IF row_data ->> 'residency_id' IS NOT NULL THEN
        result := result || jsonb_build_object('residency_key', (SELECT key FROM residency WHERE id = (row_data ->> 'residency_id')::bigint));
    END IF;
    IF row_data ->> 'entrustment_id' IS NOT NULL THEN
        result := result || jsonb_build_object('entrustment_key', (SELECT key FROM entrustment WHERE id = (row_data ->> 'entrustment_id')::bigint));
    END IF;
    IF row_data ->> 'provision_id' IS NOT NULL THEN
        result := result || jsonb_build_object('provision_key', (SELECT key FROM provision WHERE id = (row_data ->> 'provision_id')::bigint));
    END IF;
    IF row_data ->> 'transmission_id' IS NOT NULL THEN
        result := result || jsonb_build_object('transmission_key', (SELECT key FROM transmission WHERE id = (row_data ->> 'transmission_id')::bigint));
    END IF;
    IF row_data ->> 'assessment_id' IS NOT NULL THEN
        result := result || jsonb_build_object('assessment_key', (SELECT key FROM assessment WHERE id = (row_data ->> 'assessment_id')::bigint));
    END IF;
    RETURN result;
END $$;

CREATE OR REPLACE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    actor text := coalesce(nullif(current_setting('domicile.actor', true), ''), session_user);
    old_row jsonb := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) END;
    new_row jsonb := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) END;
    r jsonb;
    entity_key text;
    action text;
BEGIN
    IF TG_OP = 'UPDATE' AND old_row = new_row THEN
        RETURN NEW;
    END IF;
    r := coalesce(new_row, old_row);
    IF TG_ARGV[0] = '$1->>''key''' THEN
        entity_key := r ->> 'key';
    ELSIF TG_TABLE_NAME = 'assessment_answer' THEN
        entity_key := (SELECT key FROM assessment WHERE id = (r ->> 'assessment_id')::bigint) || '#' || (r ->> 'item_id');
    ELSIF TG_TABLE_NAME = 'residency_category' THEN
        entity_key := (SELECT key FROM residency WHERE id = (r ->> 'residency_id')::bigint) || '#' || (r ->> 'category_key');
    ELSIF TG_TABLE_NAME = 'entrustment_purpose' THEN
        entity_key := (SELECT key FROM entrustment WHERE id = (r ->> 'entrustment_id')::bigint) || '#purpose:' || (r ->> 'purpose_key');
    ELSIF TG_TABLE_NAME = 'entrustment_category' THEN
        entity_key := (SELECT key FROM entrustment WHERE id = (r ->> 'entrustment_id')::bigint) || '#' || (r ->> 'category_key');
    ELSIF TG_TABLE_NAME = 'sub_entrustee' THEN
        entity_key := (SELECT key FROM entrustment WHERE id = (r ->> 'entrustment_id')::bigint) || '#sub:'
            || (SELECT key FROM vendor WHERE id = (r ->> 'vendor_id')::bigint);
    ELSIF TG_TABLE_NAME = 'provision_category' THEN
        entity_key := (SELECT key FROM provision WHERE id = (r ->> 'provision_id')::bigint) || '#' || (r ->> 'category_key');
    ELSIF TG_TABLE_NAME = 'provision_record' THEN
        entity_key := (SELECT key FROM provision WHERE id = (r ->> 'provision_id')::bigint) || '#record:'
            || (r ->> 'provided_on') || ':' || (r ->> 'data_subjects');
    ELSIF TG_TABLE_NAME = 'transmission_category' THEN
        entity_key := (SELECT key FROM transmission WHERE id = (r ->> 'transmission_id')::bigint) || '#' || (r ->> 'category_key');
    ELSIF TG_TABLE_NAME = 'vendor_contact' THEN
        entity_key := (SELECT key FROM vendor WHERE id = (r ->> 'vendor_id')::bigint) || '#contact' || (r ->> 'position');
    ELSE
        EXECUTE 'SELECT ' || TG_ARGV[0] USING r INTO entity_key;
    END IF;
    action := CASE TG_OP
        WHEN 'INSERT' THEN 'add'
        WHEN 'DELETE' THEN 'delete'
        ELSE CASE WHEN (old_row ->> 'valid_to') IS NULL AND (new_row ->> 'valid_to') IS NOT NULL
                  THEN 'end' ELSE 'edit' END
    END;
    INSERT INTO audit_log (actor, entity, entity_key, action, before, after)
    VALUES (actor, TG_ARGV[1], entity_key, action, audit_document(old_row), audit_document(new_row));
    -- Once per transaction: the setting is transaction-local (and undone with a rolled-back
    -- savepoint, together with the UPDATE it stands for).
    IF current_setting('domicile.revision_bumped_in', true) IS DISTINCT FROM txid_current()::text THEN
        UPDATE registry_revision SET revision = revision + 1, changed_at = now();
        PERFORM set_config('domicile.revision_bumped_in', txid_current()::text, true);
    END IF;
    RETURN coalesce(NEW, OLD);
END $$;
