-- 0004_transfer_basis: the recorded basis for handing data to an entrustee (or its
-- sub-entrustees) in a country the PPC has not designated as equivalent (APPI Art. 28):
-- the person's consent, a standard-conforming system (a contract or intra-group rules,
-- PPC Rules Art. 16(i)) or the recipient's APEC CBPR certification (Rules Art. 16(ii)).
-- The cloud exception has its own columns. `domicile check` (transfer.no_basis) reads it.
ALTER TABLE entrustment
    ADD COLUMN transfer_basis text CHECK (transfer_basis IN ('consent', 'standard_conforming', 'cbpr')),
    ADD COLUMN transfer_basis_note long_text;
