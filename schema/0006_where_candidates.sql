-- 0006_where_candidates: `domicile where --country CC` also answers with the undisclosed
-- residencies that name CC as a candidate; this index finds them without reading every
-- residency (docs/benchmarks.md). 0003–0005 are taken by work in progress elsewhere.

CREATE INDEX residency_candidates ON residency USING gin (candidate_countries) WHERE country_code IS NULL;
