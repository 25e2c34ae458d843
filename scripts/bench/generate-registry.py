#!/usr/bin/env python3
"""Writes a synthetic registry for benchmarks: N vendors, N services and 4N residencies
(the shape of a large company's data map), as YAML on stdout."""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 250
regions = [("aws/ap-northeast-1", "JP"), ("aws/us-east-1", "US"), ("gcp/asia-northeast1", "JP"), ("azure/japaneast", "JP")]
roles = ["storage", "processing", "backup", "remote_access"]
categories = ["user.name", "user.contact.email", "user.contact.phone_number", "user.device.ip_address"]
out = ["domicile: 1", "organizations:", "- key: bench-org", "  name: Bench Inc.", "  country: JP", "services:"]
for i in range(n):
    out += [f"- key: svc-{i:05d}", f"  name: Service {i}", "  organization: bench-org", "  valid_from: 2020-04-01"]
out.append("vendors:")
for i in range(n):
    out += [f"- key: vendor-{i:05d}", f"  legal_name: Vendor {i} K.K.", "  aliases:", f"  - V{i}",
            "  kinds:", "  - cloud_provider", "  headquarters: US", "  risk_tier: medium", "  valid_from: 2020-04-01"]
out.append("residencies:")
for i in range(4 * n):
    region, country = regions[i % len(regions)]
    out += [f"- key: res-{i:06d}", f"  service: svc-{i % n:05d}", f"  vendor: vendor-{(i * 7) % n:05d}",
            f"  role: {roles[i % 4]}", "  categories:", f"  - {categories[i % 4]}", f"  - {categories[(i + 1) % 4]}",
            f"  country: {country}", f"  region: {region}", "  source: https://example.com/regions",
            "  verified_on: 2026-11-01", "  asserted_by: bench", "  valid_from: 2021-01-01"]
print("\n".join(out))
