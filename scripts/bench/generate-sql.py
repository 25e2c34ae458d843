#!/usr/bin/env python3
"""The same synthetic registry as generate-registry.py, as plain SQL INSERTs in one
transaction: the baseline for `domicile import` (same rows, same triggers, no Domicile)."""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 250
regions = [("aws", "ap-northeast-1", "JP"), ("aws", "us-east-1", "US"), ("gcp", "asia-northeast1", "JP"), ("azure", "japaneast", "JP")]
roles = ["storage", "processing", "backup", "remote_access"]
categories = ["user.name", "user.contact.email", "user.contact.phone_number", "user.device.ip_address"]
out = ["BEGIN;", "SELECT set_config('domicile.actor', 'bench', true);",
       "INSERT INTO organization (key, name, country_code) VALUES ('bench-org', 'Bench Inc.', 'JP');"]
for i in range(n):
    out.append(f"INSERT INTO service (key, name, organization_id, valid_from) SELECT 'svc-{i:05d}', 'Service {i}', id, '2020-04-01' FROM organization WHERE key = 'bench-org';")
for i in range(n):
    out.append(f"INSERT INTO vendor (key, legal_name, aliases, kinds, headquarters, risk_tier, valid_from) VALUES ('vendor-{i:05d}', 'Vendor {i} K.K.', '{{V{i}}}', '{{cloud_provider}}', 'US', 'medium', '2020-04-01');")
for i in range(4 * n):
    provider, code, country = regions[i % len(regions)]
    out.append(
        f"WITH r AS (INSERT INTO residency (key, service_id, vendor_id, role, country_code, region_provider, region_code, source, verified_on, asserted_by, valid_from) "
        f"SELECT 'res-{i:06d}', s.id, v.id, '{roles[i % 4]}', '{country}', '{provider}', '{code}', 'https://example.com/regions', '2026-11-01', 'bench', '2021-01-01' "
        f"FROM service s, vendor v WHERE s.key = 'svc-{i % n:05d}' AND v.key = 'vendor-{(i * 7) % n:05d}' RETURNING id) "
        f"INSERT INTO residency_category (residency_id, category_key) SELECT r.id, c FROM r, unnest(ARRAY['{categories[i % 4]}', '{categories[(i + 1) % 4]}']) AS c;")
out.append("COMMIT;")
print("\n".join(out))
