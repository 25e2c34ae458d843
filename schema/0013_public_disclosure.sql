-- 0013_public_disclosure: what the published privacy-policy text (`report disclosure`) needs
-- beyond 0001-0011 (issue 12).
--
-- The APPI Art. 32(1)(i) items (name, address, representative) and the contact for requests
-- (Art. 32(1)(iv), Cabinet Order Art. 10) in Japanese; the organization's own public sentence
-- for each security measure it answers (Art. 32(1)(iv), Cabinet Order Art. 10(i); PPC General
-- Rules Guideline 3-8-1 and 10), in English and Japanese, so the disclosure never reduces a
-- measure to a checklist title; the Japanese purpose of a provision made public (Art. 27(2)).
--
-- The audit trigger documents whole rows (to_jsonb), so the new columns are audited; the
-- table-level grants of 0001 cover columns added later.

ALTER TABLE organization
    ADD COLUMN address_ja long_text,
    ADD COLUMN representative_ja short_text,
    ADD COLUMN privacy_contact_name_ja short_text;

ALTER TABLE assessment_answer
    ADD COLUMN public_statement long_text,
    ADD COLUMN public_statement_ja long_text;

ALTER TABLE provision
    ADD COLUMN purpose_ja long_text;
