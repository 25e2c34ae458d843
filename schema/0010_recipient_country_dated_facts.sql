-- 0010_recipient_country_dated_facts: the facts APPI's foreign-transfer tests turn on.
--
-- * vendor.contracting_country: the country of the entity the business contracts with, which
--   receives the data. APPI Art. 28 asks whether the *recipient* is a business operator in a
--   foreign country (PPC Q&A 12-4), not where its servers are; the group's headquarters can
--   differ (a Japanese subsidiary of a US group). NULL: not recorded (check then reads the
--   headquarters and says so).
-- * entrustment.foreign_info_given: consent as the Art. 28 basis counts only when the
--   Art. 28(2) information (the country, its system, the recipient's measures) was given first.
-- * entrustment.transfer_basis_expires_on: the day the contract or rules a standard-conforming
--   basis rests on end (Rules Art. 16(i)); NULL: the entrustment's contract end.
-- * entrustment.transfer_basis_checked_on: the last periodic check of the recipient's
--   implementation (Rules Art. 18(1)(i): at least yearly, Foreign-Provision GL 6-1).
-- * reentrustment and contract_renewal take 'unknown', their new default: an absent term is
--   not a prohibition, nor "no renewal". Rows stored before keep the value they have.
-- * country_regime_fact: one dated, sourced fact per row (seeds/country-regime-facts.csv), each
--   with its own effective_from/effective_to (NULL from: no source gave the day; effective_to
--   is the day of the event that ended it, the last day it holds, as the file's README defines
--   it, so a following row may start that same day) and public
--   sentences in English and Japanese, and the day its sources were read. `key` is country#fact#value#effective_from, made by the
--   seeder; the audit trigger of 0005 reads it.

ALTER TABLE vendor ADD COLUMN contracting_country country_code REFERENCES country (code);

ALTER TABLE entrustment
    ADD COLUMN foreign_info_given boolean NOT NULL DEFAULT false,
    ADD COLUMN transfer_basis_expires_on date,
    ADD COLUMN transfer_basis_checked_on date;

ALTER TABLE entrustment
    DROP CONSTRAINT entrustment_reentrustment_check,
    ADD CONSTRAINT entrustment_reentrustment_check
        CHECK (reentrustment IN ('unknown', 'prohibited', 'prior_approval', 'prior_notice', 'allowed')),
    ALTER COLUMN reentrustment SET DEFAULT 'unknown',
    DROP CONSTRAINT entrustment_contract_renewal_check,
    ADD CONSTRAINT entrustment_contract_renewal_check
        CHECK (contract_renewal IN ('unknown', 'automatic', 'manual', 'none')),
    ALTER COLUMN contract_renewal SET DEFAULT 'unknown';

CREATE TABLE country_regime_fact (
    key            text PRIMARY KEY,
    country_code   country_code NOT NULL REFERENCES country (code),
    fact           text NOT NULL CHECK (fact IN ('comprehensive_law', 'eu_adequacy', 'apec_cbpr', 'global_cbpr',
                     'eu_member', 'eea_member', 'jp_ppc_equivalent', 'localization', 'government_access_duty')),
    value          text NOT NULL CHECK (value <> ''),
    effective_from date,
    effective_to   date,
    public_en      text NOT NULL CHECK (public_en <> ''),
    public_ja      text NOT NULL CHECK (public_ja <> ''),
    source         text NOT NULL CHECK (source <> ''),
    confidence     text NOT NULL CHECK (confidence IN ('verified', 'reported', 'general')),
    verified_on    date,
    CHECK (effective_to IS NULL OR effective_from IS NULL OR effective_to >= effective_from)
);
CREATE INDEX country_regime_fact_country ON country_regime_fact (country_code);

CREATE TRIGGER country_regime_fact_audit AFTER INSERT OR UPDATE OR DELETE ON country_regime_fact
    FOR EACH ROW EXECUTE FUNCTION audit_row('$1->>''key''', 'country');
