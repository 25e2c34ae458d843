-- 0002_where_indexes: indexes for `domicile where` and `domicile diff` (docs/benchmarks.md).
--
-- Foreign keys do not index their referencing columns, and join tables are keyed
-- record-first; `where` filters the other way round (by service, vendor, country, region,
-- category), walks sub-entrustees by whom they work for, and `diff` looks for records
-- that started or ended in a window of days.

CREATE INDEX residency_service ON residency (service_id, valid_from);
CREATE INDEX residency_vendor ON residency (vendor_id, valid_from);
CREATE INDEX residency_country ON residency (country_code) WHERE country_code IS NOT NULL;
CREATE INDEX residency_region ON residency (region_provider, region_code) WHERE region_code IS NOT NULL;
CREATE INDEX residency_valid_to ON residency (valid_to) WHERE valid_to IS NOT NULL;
CREATE INDEX residency_valid_from ON residency (valid_from);
CREATE INDEX residency_category_by_category ON residency_category (category_key, residency_id);

CREATE INDEX entrustment_service ON entrustment (service_id, valid_from);
CREATE INDEX entrustment_vendor ON entrustment (vendor_id);
CREATE INDEX entrustment_valid_to ON entrustment (valid_to) WHERE valid_to IS NOT NULL;
CREATE INDEX entrustment_valid_from ON entrustment (valid_from);
CREATE INDEX entrustment_category_by_category ON entrustment_category (category_key, entrustment_id);
CREATE INDEX sub_entrustee_via ON sub_entrustee (entrustment_id, via_vendor_id);

CREATE INDEX transmission_service ON transmission (service_id);
CREATE INDEX transmission_valid_to ON transmission (valid_to) WHERE valid_to IS NOT NULL;
CREATE INDEX transmission_valid_from ON transmission (valid_from);
