-- 0014_seed_removes_stale_facts: `domicile seed` brings country_regime_fact up to date with
-- seeds/country-regime-facts.csv, which includes removing a row the file no longer holds. A
-- fact's key holds its value and its start, the very things a correction changes: left in
-- place, the old row would stay in force beside its correction and both would be published.
-- The writer may delete these rows only; the audit trigger of 0010 records each deletion.
-- (Numbered 0014 so as not to collide with 0011-0013 on branches still in progress.)
GRANT DELETE ON country_regime_fact TO domicile_writer;
