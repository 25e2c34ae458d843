-- 0011_sensitive_and_lifecycle: special-care personal information (要配慮個人情報, APPI
-- Art. 2(3)) may not be provided by opt-out (Art. 27(2)); the opt-out notification to the PPC
-- and the way each provision record is kept (PPC Rules Arts. 19 and 21); a sub-entrustee's
-- valid time lies inside its entrustment's.
--
-- The Validator refuses all of this at input first; the triggers here are the last line for
-- writes that bypass it. They check new writes only: data written before this migration is
-- left as it is, and `domicile check` reports it (provision.opt_out_sensitive,
-- sub_entrustee.outside_entrustment).
--
-- The audit trigger documents whole rows (to_jsonb), so the new columns are audited; the
-- table-level grants of 0001 cover columns added later.

-- The PPC notification of an opt-out provision (APPI Art. 27(2)-(3)): the day it was made,
-- which of the Art. 27(2) items it covers, and the PPC's reference (publication number or URL).
ALTER TABLE provision
    ADD COLUMN ppc_notified_on date,
    ADD COLUMN ppc_notification_items text[] NOT NULL DEFAULT '{}',
    ADD COLUMN ppc_notification_reference short_text,
    ADD CONSTRAINT provision_ppc_notification_items_check CHECK (
        ppc_notification_items <@ ARRAY['operator', 'provision_purpose', 'data_items', 'acquisition_method',
            'provision_method', 'stop_on_request', 'request_method', 'update_method', 'start_date']
        AND array_position(ppc_notification_items, NULL) IS NULL);

-- How a provision record was made (PPC Rules Art. 19): promptly for `each` provision (19(2)),
-- one `batch` record for continuous or repeated provision (19(2) proviso), or a `contract`
-- that substitutes for the record (19(3)). The retention period of Rules Art. 21 follows from it:
-- 1 year (contract) or 3 years (batch) from the last provision the record covers, 3 years
-- otherwise. last_provided_on is that last provision (empty: provided_on).
ALTER TABLE provision_record
    ADD COLUMN method text NOT NULL DEFAULT 'each' CHECK (method IN ('each', 'batch', 'contract')),
    ADD COLUMN last_provided_on date,
    ADD CONSTRAINT provision_record_last_provided_check CHECK (last_provided_on IS NULL OR last_provided_on >= provided_on);

-- A category is special-care when it, or a category it belongs to (a dotted prefix), is.
CREATE FUNCTION category_is_sensitive(category text) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM data_category c
                   WHERE c.sensitive AND (c.key = category OR starts_with(category, c.key || '.')))
$$;

-- One function per table: a provision turning to opt-out, and a category added to an opt-out provision.
CREATE FUNCTION refuse_opt_out_of_sensitive_provision() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    category text;
BEGIN
    IF NEW.basis = 'opt_out' THEN
        SELECT pc.category_key INTO category FROM provision_category pc
        WHERE pc.provision_id = NEW.id AND category_is_sensitive(pc.category_key) LIMIT 1;
        IF category IS NOT NULL THEN
            RAISE EXCEPTION 'provision % provides special-care personal information (%) by opt-out, which APPI Art. 27(2) does not allow', NEW.key, category
                USING ERRCODE = 'check_violation', COLUMN = 'basis', CONSTRAINT = 'provision_opt_out_not_sensitive';
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION refuse_opt_out_of_sensitive_category() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    provision_key text;
BEGIN
    SELECT p.key INTO provision_key FROM provision p WHERE p.id = NEW.provision_id AND p.basis = 'opt_out';
    IF provision_key IS NOT NULL AND category_is_sensitive(NEW.category_key) THEN
        RAISE EXCEPTION 'provision % provides special-care personal information (%) by opt-out, which APPI Art. 27(2) does not allow', provision_key, NEW.category_key
            USING ERRCODE = 'check_violation', COLUMN = 'categories', CONSTRAINT = 'provision_opt_out_not_sensitive';
    END IF;
    RETURN NULL;
END
$$;

-- Deferred to the end of the transaction: a provision and its categories are written by
-- separate statements, in either order.
CREATE CONSTRAINT TRIGGER provision_opt_out_not_sensitive
    AFTER INSERT OR UPDATE OF basis ON provision DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION refuse_opt_out_of_sensitive_provision();
CREATE CONSTRAINT TRIGGER provision_category_opt_out_not_sensitive
    AFTER INSERT OR UPDATE ON provision_category DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION refuse_opt_out_of_sensitive_category();

-- A sub-entrustee works inside its entrustment: it does not start before it, and does not
-- outlive it (NULL valid_from: since the entrustment began; NULL valid_to: as long as it).
CREATE FUNCTION sub_entrustee_outside(se sub_entrustee, e entrustment) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT (se.valid_from IS NOT NULL AND se.valid_from < e.valid_from)
        OR (se.valid_from IS NOT NULL AND e.valid_to IS NOT NULL AND se.valid_from >= e.valid_to)
        OR (se.valid_to IS NOT NULL AND e.valid_to IS NOT NULL AND se.valid_to > e.valid_to)
$$;

CREATE FUNCTION refuse_sub_entrustee_outside() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    e entrustment;
    vendor_key text;
BEGIN
    SELECT * INTO e FROM entrustment WHERE id = NEW.entrustment_id;
    IF sub_entrustee_outside(NEW, e) THEN
        SELECT key INTO vendor_key FROM vendor WHERE id = NEW.vendor_id;
        RAISE EXCEPTION 'sub-entrustee % of entrustment % (% to %) is outside its entrustment (% to %)',
            vendor_key, e.key, coalesce(NEW.valid_from::text, 'start'), coalesce(NEW.valid_to::text, 'end'),
            e.valid_from, coalesce(e.valid_to::text, 'ongoing')
            USING ERRCODE = 'check_violation', COLUMN = 'valid_to', CONSTRAINT = 'sub_entrustee_within_entrustment';
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION refuse_entrustment_shorter_than_subs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    vendor_key text;
BEGIN
    SELECT v.key INTO vendor_key FROM sub_entrustee se JOIN vendor v ON v.id = se.vendor_id
    WHERE se.entrustment_id = NEW.id AND sub_entrustee_outside(se, NEW) LIMIT 1;
    IF vendor_key IS NOT NULL THEN
        RAISE EXCEPTION 'entrustment % (% to %) would leave its sub-entrustee % outside it; end or move the sub-entrustee first',
            NEW.key, NEW.valid_from, coalesce(NEW.valid_to::text, 'ongoing'), vendor_key
            USING ERRCODE = 'check_violation', COLUMN = 'valid_to', CONSTRAINT = 'sub_entrustee_within_entrustment';
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER sub_entrustee_within_entrustment
    AFTER INSERT OR UPDATE ON sub_entrustee DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION refuse_sub_entrustee_outside();
CREATE CONSTRAINT TRIGGER entrustment_covers_sub_entrustees
    AFTER UPDATE OF valid_from, valid_to ON entrustment DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION refuse_entrustment_shorter_than_subs();
