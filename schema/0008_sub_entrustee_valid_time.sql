-- 0008_sub_entrustee_valid_time: a sub-entrustee has a valid time of its own, so that
-- `where --transitive --as-of D` follows only the sub-entrustees in force on D and `diff`
-- lists the ones that started or ended. Both are nullable: NULL valid_from means "since the
-- entrustment began", NULL valid_to "ongoing"; valid_to is the first day it no longer holds,
-- as everywhere else (`valid_from <= D < valid_to`).
--
-- The audit trigger of 0001/0005 documents the whole row (to_jsonb), so the new columns are
-- audited as they are; the table-level grants of 0001 (writer: SELECT, INSERT, UPDATE,
-- DELETE; reader: SELECT) cover columns added later, so no grant changes.

ALTER TABLE sub_entrustee
    ADD COLUMN valid_from date,
    ADD COLUMN valid_to   date,
    ADD CONSTRAINT sub_entrustee_valid_time_check
        CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from);

-- diff reads the sub-entrustees that started or ended between two days
CREATE INDEX sub_entrustee_valid_from ON sub_entrustee (valid_from) WHERE valid_from IS NOT NULL;
CREATE INDEX sub_entrustee_valid_to ON sub_entrustee (valid_to) WHERE valid_to IS NOT NULL;
