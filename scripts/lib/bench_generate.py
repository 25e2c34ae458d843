#!/usr/bin/env python3
"""A large synthetic registry for benchmarks, deterministic for a given --scale and --seed.

At --scale 1: 3 organizations, 2,000 services, 10,000 vendors, 100,000 residency rows (every
role, with history: a move ends a row and starts the next), 20,000 entrustments (sub-entrustee
chains up to depth 4), 1,000 provisions, 5,000 transmissions and 1,000,000 checklist answers
(in 62,500 assessments). Every count scales with --scale (at least one of each).

Writes OUTDIR/import/ — the files `domicile import` reads, in the order to import them (CSV
where the format allows it, YAML for the sections that nest lists; or one registry.yaml with
--yaml) — and OUTDIR/copy/ — the same rows as table-shaped CSV with explicit ids plus
load.sql, which `psql -f` runs with \\copy: the baseline for the import.

Reference data (countries, regions, data categories, purposes, checklist templates) is read
from seeds/, so the files fit what `domicile seed` loads.

    scripts/lib/bench_generate.py [--scale S] [--seed N] [--yaml] OUTDIR
"""
import argparse
import csv
import datetime
import json
import os
import random
import re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLES = ["storage", "processing", "backup", "remote_access"]
KINDS = ["cloud_provider", "entrustee", "third_party_recipient", "transmission_recipient"]
CERTS = ["iso27001", "iso27017", "iso27018", "iso27701", "pmark", "soc2", "apec_cbpr", "apec_prp", "dpf"]
TIERS = ["low", "medium", "high", "critical"]
HQ = ["JP", "JP", "JP", "US", "US", "IE", "DE", "SG", "KR", "IN", "GB", "FR", "AU", "CN", "VN", "PH"]
TOOLS = ["Google Analytics", "Google Tag Manager", "Meta Pixel", "Adobe Analytics", "Hotjar", "Sentry",
         "Datadog RUM", "Braze SDK", "Firebase SDK", "LINE Tag", "Karte", "Treasure Data"]
INFO = [("page URL", "閲覧ページのURL"), ("IP address", "IPアドレス"), ("cookie ID", "Cookie ID"),
        ("device type", "端末の種類"), ("browser", "ブラウザの種類"), ("referrer", "参照元URL"),
        ("advertising ID", "広告識別子"), ("click events", "クリック情報")]
ORGS = [("bench-org", "Bench Holdings K.K.", "ベンチホールディングス株式会社", "JP"),
        ("bench-us", "Bench America Inc.", None, "US"),
        ("bench-eu", "Bench Europe GmbH", None, "DE")]


PLAIN_LEAVES = []


def read_seeds():
    with open(os.path.join(ROOT, "seeds/cloud-regions.csv"), newline="") as f:
        regions = [(r["provider"], r["code"], r["country_code"]) for r in csv.DictReader(f)]
    with open(os.path.join(ROOT, "seeds/data-categories.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    keys = [r["key"] for r in rows]
    sensitive = [r["key"] for r in rows if r["sensitive"] == "true"]
    leaves = [k for k in keys if not any(o.startswith(k + ".") for o in keys)]
    # special-care categories (and theirs) cannot be provided by opt-out (APPI Art. 27(2))
    global PLAIN_LEAVES
    PLAIN_LEAVES = [k for k in leaves if not any(k == s or k.startswith(s + ".") for s in sensitive)]
    with open(os.path.join(ROOT, "seeds/purposes.csv"), newline="") as f:
        purposes = [r["key"] for r in csv.DictReader(f)]
    with open(os.path.join(ROOT, "seeds/countries.csv"), newline="") as f:
        countries = [r["code"] for r in csv.DictReader(f)]
    templates = {}
    for name in sorted(os.listdir(os.path.join(ROOT, "seeds/checklists"))):
        with open(os.path.join(ROOT, "seeds/checklists", name)) as f:
            text = f.read()
        key = re.search(r"^key:\s*(\S+)", text, re.M).group(1)
        templates[key] = re.findall(r"^  - id:\s*(\S+)", text, re.M)
    return regions, leaves, purposes, countries, templates


class Day:
    """Dates as day numbers from 2015-01-01, written ISO."""
    base = datetime.date(2015, 1, 1)

    @staticmethod
    def iso(n):
        return (Day.base + datetime.timedelta(days=n)).isoformat()


def generate(scale, seed):
    rng = random.Random(seed)
    regions, leaves, purposes, countries, templates = read_seeds()
    foreign = [c for c in ["US", "IE", "DE", "SG", "KR", "IN", "GB", "FR", "AU", "CN", "VN", "PH", "BR", "CA", "NL"] if c in countries]
    n = lambda count: max(1, round(count * scale))
    db = {}  # table -> list of row dicts (the \copy baseline), in insert order
    doc = {}  # section -> list of records (the import files)

    def table(name):
        return db.setdefault(name, [])

    # organizations
    for i, (key, name, name_ja, country) in enumerate(ORGS, 1):
        doc.setdefault("organizations", []).append({"key": key, "name": name, "name_ja": name_ja, "country": country,
                                                    "privacy_contact_email": f"privacy@{key}.example.com"})
        table("organization").append({"id": i, "key": key, "name": name, "name_ja": name_ja, "country_code": country,
                                      "privacy_contact_email": f"privacy@{key}.example.com"})

    # services: a few retired (their residencies end with them)
    services = []
    for i in range(n(2000)):
        key = f"svc-{i:05d}"
        start = rng.randrange(0, 3000)
        end = start + rng.randrange(400, 1500) if i % 20 == 19 else None
        org = i % len(ORGS)
        services.append((key, start, end))
        rec = {"key": key, "name": f"Service {i}", "organization": ORGS[org][0], "description": f"Bench service number {i}",
               "url": f"https://svc{i}.example.com", "owner": f"team-{i % 40}", "valid_from": Day.iso(start),
               "valid_to": Day.iso(end) if end else None}
        doc.setdefault("services", []).append(rec)
        table("service").append({"id": i + 1, "key": key, "name": rec["name"], "organization_id": org + 1,
                                 "description": rec["description"], "url": rec["url"], "owner": rec["owner"],
                                 "valid_from": rec["valid_from"], "valid_to": rec["valid_to"]})

    # vendors: the first 5% are cloud providers (they hold the residencies with regions)
    vendors = []
    vendor_count = n(10000)
    clouds = max(1, vendor_count // 20)
    for i in range(vendor_count):
        key = f"ven-{i:05d}"
        if i < clouds:
            kinds = ["cloud_provider", "entrustee"]
        else:
            kinds = sorted(set(rng.sample(KINDS[1:], rng.randrange(1, 4))))
        certs = sorted(rng.sample(CERTS, rng.randrange(0, 4)))
        start = rng.randrange(0, 3000)
        end = start + rng.randrange(300, 1500) if i % 25 == 24 else None
        vendors.append(key)
        rec = {"key": key, "legal_name": f"Vendor {i} K.K.", "name_ja": f"ベンダー{i}株式会社" if i % 3 == 0 else None,
               "aliases": [f"V{i}", f"Vendor{i}"], "kinds": kinds, "headquarters": HQ[i % len(HQ)],
               "website": f"https://vendor{i}.example.com",
               "privacy_url": f"https://vendor{i}.example.com/privacy" if i % 2 == 0 else None,
               "certifications": certs, "risk_tier": TIERS[rng.randrange(4)], "owner": f"buyer-{i % 30}",
               "notes": "Bench vendor; notes with a comma, and \"quotes\"." if i % 10 == 0 else None,
               "valid_from": Day.iso(start), "valid_to": Day.iso(end) if end else None}
        doc.setdefault("vendors", []).append(rec)
        table("vendor").append({"id": i + 1, "key": key, "legal_name": rec["legal_name"], "name_ja": rec["name_ja"],
                                "aliases": rec["aliases"], "kinds": kinds, "headquarters": rec["headquarters"],
                                "website": rec["website"], "privacy_url": rec["privacy_url"], "certifications": certs,
                                "risk_tier": rec["risk_tier"], "owner": rec["owner"], "notes": rec["notes"],
                                "valid_from": rec["valid_from"], "valid_to": rec["valid_to"]})
    vendor_id = {key: i + 1 for i, key in enumerate(vendors)}

    # residencies: slots (service, vendor, role) with 1-3 versions; a move ends the earlier row
    rid = 0
    target = n(100000)
    slot = 0
    while rid < target:
        s = rng.randrange(len(services))
        skey, sstart, send = services[s]
        cloud = rng.random() < 0.7
        v = rng.randrange(clouds) if cloud else rng.randrange(len(vendors))
        role = ROLES[slot % 4]
        versions = min(rng.choice([1, 1, 2, 2, 3]), target - rid)
        start = sstart + rng.randrange(0, 200)
        cats = sorted(rng.sample(leaves, rng.randrange(1, 4)))
        for version in range(versions):
            last = version == versions - 1
            end = start + rng.randrange(90, 700) if not last else send
            if end is not None and end <= start:
                end = start + 1
            key = f"res-{slot:06d}-{version}"
            rec = {"key": key, "service": skey, "vendor": vendors[v], "role": role, "categories": cats,
                   "source": f"https://vendor{v}.example.com/regions", "verified_on": Day.iso(3000 + rng.randrange(700)),
                   "asserted_by": f"engineer-{slot % 50}", "valid_from": Day.iso(start),
                   "valid_to": Day.iso(end) if end is not None else None}
            row = {"id": rid + 1, "key": key, "service_id": s + 1, "vendor_id": v + 1, "role": role,
                   "candidate_countries": [], "source": rec["source"], "verified_on": rec["verified_on"],
                   "asserted_by": rec["asserted_by"], "valid_from": rec["valid_from"], "valid_to": rec["valid_to"]}
            pick = rng.random()
            if pick < 0.05:
                cands = sorted(rng.sample(foreign, 3))
                rec["undisclosed"] = {"reason": "The provider does not disclose where backups are kept.", "candidates": cands}
                row.update(undisclosed_reason=rec["undisclosed"]["reason"], candidate_countries=cands)
            elif cloud:
                provider, code, country = regions[rng.randrange(len(regions))]
                rec.update(country=country, region=f"{provider}/{code}")
                row.update(country_code=country, region_provider=provider, region_code=code)
            else:
                country = "JP" if pick < 0.6 else rng.choice(foreign)
                rec["country"] = country
                row["country_code"] = country
            if rid % 17 == 0:
                rec["notes"] = "移転先の国名は契約書別紙による。"
                row["notes"] = rec["notes"]
            doc.setdefault("residencies", []).append(rec)
            table("residency").append(row)
            for c in cats:
                table("residency_category").append({"residency_id": rid + 1, "category_key": c})
            rid += 1
            if end is None:
                break
            start = end
        slot += 1

    # entrustments, with sub-entrustee chains of depth 0-4
    entrustees = [i for i in range(len(vendors))]
    for i in range(n(20000)):
        key = f"ent-{i:05d}"
        s = rng.randrange(len(services))
        v = rng.choice(entrustees)
        start = services[s][1] + rng.randrange(0, 300)
        end = start + rng.randrange(200, 1200) if i % 10 == 9 else None
        depth = rng.choice([0, 0, 1, 1, 2, 3, 4])
        reent = "prohibited" if depth == 0 else rng.choice(["prior_approval", "prior_notice", "allowed"])
        cats = sorted(rng.sample(leaves, rng.randrange(1, 5)))
        purps = sorted(rng.sample(purposes, rng.randrange(1, 4)))
        signed = start - rng.randrange(0, 60)
        contract = {"reference": f"CT-{i:05d}", "signed_on": Day.iso(signed), "expires_on": Day.iso(signed + 365 * rng.randrange(1, 6)),
                    "renewal": rng.choice(["automatic", "manual", "none"]), "notice_days": rng.choice([30, 60, 90]),
                    "dpa_signed_on": Day.iso(signed) if i % 3 else None}
        if i % 11 == 5:
            contract = None  # contract missing
        rec = {"key": key, "service": services[s][0], "vendor": vendors[v], "description": f"Operation of service {s}, part {i % 7}",
               "purposes": purps, "categories": cats, "reentrustment": reent, "valid_from": Day.iso(start),
               "valid_to": Day.iso(end) if end else None}
        if i % 20 == 7:
            rec["cloud_exception"] = True
            rec["cloud_exception_basis"] = "Contract §12: the provider has no access to the data; access control by the customer."
        if contract:
            rec["contract"] = {k: val for k, val in contract.items() if val is not None}
        row = {"id": i + 1, "key": key, "service_id": s + 1, "vendor_id": v + 1, "description": rec["description"],
               "cloud_exception": bool(rec.get("cloud_exception")), "cloud_exception_basis": rec.get("cloud_exception_basis"),
               "contract_reference": contract and contract["reference"], "contract_signed_on": contract and contract["signed_on"],
               "contract_expires_on": contract and contract["expires_on"],
               "contract_renewal": contract["renewal"] if contract else "none",
               "contract_notice_days": contract and contract["notice_days"],
               "dpa_signed_on": contract and contract["dpa_signed_on"], "reentrustment": reent,
               "valid_from": rec["valid_from"], "valid_to": rec["valid_to"]}
        table("entrustment").append(row)
        for p in purps:
            table("entrustment_purpose").append({"entrustment_id": i + 1, "purpose_key": p})
        for c in cats:
            table("entrustment_category").append({"entrustment_id": i + 1, "category_key": c})
        chain = [v]
        subs = []
        used = {v}
        for level in range(depth):
            w = rng.randrange(len(vendors))
            while w in used:
                w = rng.randrange(len(vendors))
            used.add(w)
            via = chain[-1]
            sub = {"vendor": vendors[w], "countries": sorted(rng.sample(foreign + ["JP"], rng.randrange(1, 3))),
                   "work": f"Level {level + 1} subcontracting", "approved_on": Day.iso(start + level)}
            if level > 0:
                sub["via"] = vendors[via]
            subs.append(sub)
            table("sub_entrustee").append({"entrustment_id": i + 1, "vendor_id": w + 1, "via_vendor_id": via + 1,
                                           "countries": sub["countries"], "work": sub["work"], "approved_on": sub["approved_on"]})
            chain.append(w)
        if subs:
            rec["sub_entrustees"] = subs
        doc.setdefault("entrustments", []).append(rec)

    # provisions (third-party provision) with records
    for i in range(n(1000)):
        key = f"prov-{i:05d}"
        s = rng.randrange(len(services))
        v = rng.randrange(len(vendors))
        basis = rng.choice(["consent", "consent", "legal_exception", "opt_out", "joint_use"])
        years = rng.choice([3, 3, 5])
        start = services[s][1] + rng.randrange(0, 300)
        cats = sorted(rng.sample(PLAIN_LEAVES if basis == "opt_out" else leaves, rng.randrange(1, 3)))
        rec = {"key": key, "service": services[s][0], "recipient": vendors[v], "basis": basis,
               "legal_exception": "Art. 27(1)(i): required by laws and regulations" if basis == "legal_exception" else None,
               "purpose": f"Recipient's own marketing, programme {i % 13}", "categories": cats,
               "recipient_country": rng.choice(["JP", "JP"] + foreign), "retention_years": years, "valid_from": Day.iso(start)}
        records = []
        for r in range(rng.randrange(1, 4)):
            day = start + 30 * r + 1
            records.append({"provided_on": Day.iso(day), "data_subjects": f"members batch {r}",
                            "items": "name; e-mail address", "retain_until": Day.iso(day + 366 * years + 1)})
        rec["records"] = records
        doc.setdefault("provisions", []).append(rec)
        table("provision").append({"id": i + 1, "key": key, "service_id": s + 1, "recipient_id": v + 1, "basis": basis,
                                   "legal_exception": rec["legal_exception"], "purpose": rec["purpose"],
                                   "recipient_country": rec["recipient_country"], "foreign_info_given": False,
                                   "retention_years": years, "valid_from": rec["valid_from"]})
        for c in cats:
            table("provision_category").append({"provision_id": i + 1, "category_key": c})
        for r in records:
            table("provision_record").append({"provision_id": i + 1, **r})

    # transmissions (Telecommunications Business Act Art. 27-12)
    for i in range(n(5000)):
        key = f"tx-{i:05d}"
        s = rng.randrange(len(services))
        v = rng.randrange(len(vendors))
        info = rng.sample(INFO, rng.randrange(1, 4))
        basis = rng.choice(["notice", "notice", "consent", "opt_out", "necessary"])
        start = services[s][1] + rng.randrange(0, 500)
        end = start + rng.randrange(100, 900) if i % 8 == 3 else None
        cats = sorted(rng.sample(["user.device.ip_address", "user.device.cookie_id", "user.behavior.browsing_history"], rng.randrange(0, 3)))
        rec = {"key": key, "service": services[s][0], "tool": TOOLS[i % len(TOOLS)], "recipient": vendors[v],
               "information": [a for a, _ in info], "information_ja": [b for _, b in info], "categories": cats,
               "purpose": "Access analysis to improve the service", "purpose_ja": "サービス改善のためのアクセス解析",
               "basis": basis, "opt_out_url": f"https://vendor{v}.example.com/opt-out" if basis == "opt_out" else None,
               "recipient_country": rng.choice(["JP"] + foreign), "valid_from": Day.iso(start),
               "valid_to": Day.iso(end) if end else None}
        doc.setdefault("transmissions", []).append(rec)
        table("transmission").append({"id": i + 1, "key": key, "service_id": s + 1, "tool": rec["tool"], "recipient_id": v + 1,
                                      "information": rec["information"], "information_ja": rec["information_ja"],
                                      "purpose": rec["purpose"], "purpose_ja": rec["purpose_ja"], "basis": basis,
                                      "opt_out_url": rec["opt_out_url"], "recipient_country": rec["recipient_country"],
                                      "valid_from": rec["valid_from"], "valid_to": rec["valid_to"]})
        for c in cats:
            table("transmission_category").append({"transmission_id": i + 1, "category_key": c})

    # assessments: vendors (and now and then an organization), alternating templates, until the answers are counted out
    names = sorted(templates)
    answers_left = n(1000000)
    a = 0
    while answers_left > 0:
        template = names[a % len(names)]
        items = templates[template][:answers_left]
        answers_left -= len(items)
        key = f"asm-{a:06d}"
        on = 2500 + rng.randrange(0, 1200)
        rec = {"key": key, "template": template, "assessed_on": Day.iso(on), "assessor": f"auditor-{a % 20}",
               "next_review_on": Day.iso(on + rng.choice([182, 365, 730]))}
        row = {"id": a + 1, "key": key, "template_key": template, "assessed_on": rec["assessed_on"],
               "assessor": rec["assessor"], "next_review_on": rec["next_review_on"]}
        if a % 50 == 0:
            o = (a // 50) % len(ORGS)
            rec["organization"] = ORGS[o][0]
            row["organization_id"] = o + 1
        else:
            v = (a * 7919) % len(vendors)
            rec["vendor"] = vendors[v]
            row["vendor_id"] = v + 1
        answers = []
        for item in items:
            status = rng.choice(["met", "met", "met", "partial", "unmet", "not_applicable"])
            answer = {"item": item, "status": status}
            if status in ("met", "partial"):
                answer["evidence"] = f"Evidence file EV-{a}-{item}.pdf"
            if status in ("unmet", "not_applicable", "partial"):
                answer["note"] = "改善計画を策定中" if status == "unmet" else "Reviewed by the auditor"
            answers.append(answer)
            table("assessment_answer").append({"assessment_id": a + 1, "template_key": template, "item_id": item, "status": status,
                                               "evidence": answer.get("evidence"), "note": answer.get("note")})
        rec["answers"] = answers
        doc.setdefault("assessments", []).append(rec)
        table("assessment").append(row)
        a += 1
    return doc, db


# ------------------------------------------------------------------ writers

SECTIONS = ["organizations", "services", "vendors", "residencies", "transmissions", "entrustments", "provisions", "assessments"]
CSV_COLUMNS = {
    "organizations": "key,name,name_ja,country,address,representative,privacy_contact_name,privacy_contact_email,privacy_contact_url,address_ja,representative_ja,privacy_contact_name_ja",
    "services": "key,name,organization,description,url,owner,valid_from,valid_to",
    "vendors": "key,legal_name,name_ja,aliases,kinds,headquarters,website,trust_url,privacy_url,dpa_url,subprocessors_url,certifications,risk_tier,owner,notes,valid_from,valid_to",
    "residencies": "key,service,vendor,role,categories,country,region,undisclosed_reason,undisclosed_candidates,source,verified_on,asserted_by,notes,valid_from,valid_to",
    "transmissions": "key,service,tool,recipient,information,information_ja,categories,purpose,purpose_ja,basis,opt_out_url,recipient_country,valid_from,valid_to",
}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PLAIN = re.compile(r"^[a-z0-9][a-z0-9._/-]*$")


def scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if DATE.match(value) or (PLAIN.match(value) and value not in ("true", "false", "null", "yes", "no", "on", "off")
                             and not value[0].isdigit()):
        return value
    return json.dumps(value, ensure_ascii=False)


def yaml_record(out, record, indent):
    """One list item; `indent` is the column of its dash."""
    first = True
    pad = " " * indent
    for field, value in record.items():
        if value is None or value == [] or value == {}:
            continue
        lead = pad + ("- " if first else "  ")
        first = False
        if isinstance(value, dict):
            out.append(f"{lead}{field}:")
            for k, v in value.items():
                if v is None or v == []:
                    continue
                if isinstance(v, list):
                    out.append(f"{pad}    {k}: [{', '.join(scalar(x) for x in v)}]")
                else:
                    out.append(f"{pad}    {k}: {scalar(v)}")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            out.append(f"{lead}{field}:")
            for item in value:
                yaml_record(out, item, indent + 2)
        elif isinstance(value, list):
            out.append(f"{lead}{field}: [{', '.join(scalar(x) for x in value)}]")
        else:
            out.append(f"{lead}{field}: {scalar(value)}")


# `domicile import` reads files of at most 32 MiB; larger sections are split into parts.
PART_BYTES = 24 * 2**20


def write_yaml(path, sections, doc, version=True):
    with open(path, "w") as f:
        if version:
            f.write("domicile: 1\n")
        for section in sections:
            f.write(f"{section}:\n")
            out = []
            for record in doc.get(section, []):
                yaml_record(out, record, 0)
                if len(out) > 50000:
                    f.write("\n".join(out) + "\n")
                    out = []
            if out:
                f.write("\n".join(out) + "\n")


def write_yaml_parts(directory, number, section, records):
    """NN-section.yaml, or NN-PP-section.yaml parts of at most PART_BYTES each."""
    parts, out, size = [], [], 0
    for record in records:
        lines = []
        yaml_record(lines, record, 0)
        text = "\n".join(lines) + "\n"
        if out and size + len(text.encode()) > PART_BYTES:
            parts.append(out)
            out, size = [], 0
        out.append(text)
        size += len(text.encode())
    parts.append(out)
    for index, texts in enumerate(parts, 1):
        name = f"{number:02d}-{section}.yaml" if len(parts) == 1 else f"{number:02d}-{index:02d}-{section}.yaml"
        with open(os.path.join(directory, name), "w") as f:
            f.write(f"{section}:\n")
            f.writelines(texts)


def write_import_csv(directory, number, section, records):
    """NN-section.csv, or NN-PP-section.csv parts of at most PART_BYTES each."""
    columns = CSV_COLUMNS[section].split(",")
    rows = []
    for record in records:
        row = []
        for column in columns:
            if column.startswith("undisclosed_"):
                value = (record.get("undisclosed") or {}).get(column[len("undisclosed_"):])
            else:
                value = record.get(column)
            if isinstance(value, list):
                value = ";".join(value)
            row.append("" if value is None else value)
        rows.append(row)
    # a generous estimate of each row's bytes decides the parts
    parts, current, size = [], [], 0
    for row in rows:
        length = sum(len(str(v).encode()) + 3 for v in row) + 1
        if current and size + length > PART_BYTES:
            parts.append(current)
            current, size = [], 0
        current.append(row)
        size += length
    parts.append(current)
    for index, part in enumerate(parts, 1):
        name = f"{number:02d}-{section}.csv" if len(parts) == 1 else f"{number:02d}-{index:02d}-{section}.csv"
        with open(os.path.join(directory, name), "w", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows(part)


def pg_array(items):
    return "{" + ",".join('"' + str(x).replace("\\", "\\\\").replace('"', '\\"') + '"' for x in items) + "}"


TABLE_ORDER = ["organization", "service", "vendor", "residency", "residency_category", "transmission", "transmission_category",
               "entrustment", "entrustment_purpose", "entrustment_category", "sub_entrustee", "provision",
               "provision_category", "provision_record", "assessment", "assessment_answer"]
SEQUENCES = ["organization", "service", "vendor", "residency", "transmission", "entrustment", "provision", "assessment"]


def write_copy(directory, db):
    script = ["\\set ON_ERROR_STOP 1", "BEGIN;", "SELECT set_config('domicile.actor', 'bench', true) \\g /dev/null"]
    for name in TABLE_ORDER:
        rows = db.get(name, [])
        if not rows:
            continue
        columns = []
        for row in rows:
            for column in row:
                if column not in columns:
                    columns.append(column)
        with open(os.path.join(directory, name + ".csv"), "w", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            for row in rows:
                values = []
                for column in columns:
                    value = row.get(column)
                    if isinstance(value, list):
                        value = pg_array(value)
                    elif isinstance(value, bool):
                        value = "t" if value else "f"
                    values.append("" if value is None else value)
                writer.writerow(values)
        script.append(f"\\copy {name} ({', '.join(columns)}) FROM '{name}.csv' WITH (FORMAT csv)")
    for name in SEQUENCES:
        script.append(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), greatest((SELECT max(id) FROM {name}), 1)) \\g /dev/null")
    script.append("COMMIT;")
    with open(os.path.join(directory, "load.sql"), "w") as f:
        f.write("\n".join(script) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir")
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 10,000 vendors, 100,000 residencies, 1,000,000 answers")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--yaml", action="store_true", help="one registry.yaml instead of CSV where the format allows")
    args = parser.parse_args()
    doc, db = generate(args.scale, args.seed)
    imports = os.path.join(args.outdir, "import")
    copies = os.path.join(args.outdir, "copy")
    os.makedirs(imports, exist_ok=True)
    os.makedirs(copies, exist_ok=True)
    if args.yaml:
        write_yaml(os.path.join(imports, "registry.yaml"), SECTIONS, doc)
    else:
        for number, section in enumerate(SECTIONS, 1):
            if section in CSV_COLUMNS:
                write_import_csv(imports, number, section, doc[section])
            else:
                write_yaml_parts(imports, number, section, doc[section])
    write_copy(copies, db)
    counts = {name: len(rows) for name, rows in db.items()}
    with open(os.path.join(args.outdir, "counts.json"), "w") as f:
        json.dump(counts, f, indent=1, sort_keys=True)
    records = sum(len(v) for v in doc.values())
    print(f"{records} records, {sum(counts.values())} table rows: "
          + ", ".join(f"{counts[t]} {t}" for t in TABLE_ORDER if t in counts))


if __name__ == "__main__":
    main()
