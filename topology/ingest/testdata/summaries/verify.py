#!/usr/bin/env python3
"""Recompute the golden dry-run summaries from the raw sample files.

Independent of the Go code: every file is read with Python's csv module
(or split by hand), every rule (check digits, which rows are data, which
totals can be computed) is written out below per file, and the result is
compared with testdata/summaries/<file>.json.

    python3 topology/ingest/testdata/summaries/verify.py [../shared/realdata]

Prints one line per file and every number that disagrees; exits 1 on any
disagreement.
"""
import csv, json, os, re, sys
from collections import Counter, defaultdict
from decimal import Decimal as D

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../../../../shared/realdata")


def gtin_ok(s):
    """GS1 check digit of an 8/12/13/14-digit code, not all zeros."""
    s = s.strip().strip('"')
    if not s.isdigit() or len(s) not in (8, 12, 13, 14) or set(s) == {"0"}:
        return False
    body, check = s[:-1], int(s[-1])
    total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def isrc_ok(s):
    s = s.strip().upper().replace("-", "")
    return re.fullmatch(r"[A-Z]{2}[A-Z0-9]{3}[0-9]{7}", s) is not None


def iswc_ok(s):
    s = s.strip().upper().replace("-", "").replace(".", "")
    if not re.fullmatch(r"T[0-9]{10}", s):
        return False
    digits = [int(c) for c in s[1:10]]
    total = 1 + sum(i * d for i, d in enumerate(digits, 1))
    return (10 - total % 10) % 10 == int(s[10])


def summary(file, profile, rows, rejected, units, revenue, declared=None, computed=None):
    """rejected: reason -> count; revenue: currency -> Decimal."""
    declared, computed = declared or {}, computed or {}
    matched = all(computed[k] == "n/a" or abs(D(declared[k]) - D(computed[k])) <= tol
                  for k, tol in TOL.items() if k in declared)
    nrej = sum(rejected.values())
    return {"file": file, "profile": profile, "rows": rows, "accepted": rows - nrej, "rejected": nrej,
            "rejected_by_reason": dict(rejected), "units": units,
            "revenue": {c: str(v) for c, v in revenue.items()},
            "reconciliation": {"declared": declared, "computed": computed, "matched": matched}}


TOL = {}  # key -> tolerance of the file being checked


def read(name, delim=",", encoding="utf-8-sig"):
    with open(os.path.join(SAMPLES, name), newline="", encoding=encoding) as f:
        return list(csv.reader(f, delimiter=delim))


# --- Apple financial reports: header, data rows, Total_* trailer rows ----
def apple(name):
    rows = read(name, "\t")
    h, data = rows[0], [r for r in rows[1:] if r and not r[0].startswith("Total_")]
    tot = {r[0]: r[1] for r in rows[1:] if r and r[0].startswith("Total_")}
    i = h.index
    cur = data[0][i("Partner Share Currency")]
    units = sum(int(r[i("Quantity")]) for r in data)  # returns are written negative
    amount = sum(D(r[i("Extended Partner Share")]) for r in data)
    assert all(r[i("UPC")] == "" and r[i("ISRC/ISBN")] == "" for r in data)  # nothing to reject
    TOL.update({"rows": 0, "amount." + cur: 0, "units": 0})
    return summary(name, "apple-financial", len(data), {}, units, {cur: amount},
                   {"rows": tot["Total_Rows"], "amount." + cur: tot["Total_Amount"], "units": tot["Total_Units"]},
                   {"rows": str(len(data)), "amount." + cur: str(amount), "units": str(units)})


def apple_payments(name):
    # A title row, per-region payment rows, free text: not a sales table,
    # quarantined before any row is read; nothing was reconciled, so not
    # matched.
    s = summary(name, "", 0, {}, 0, {})
    s["reconciliation"]["matched"] = False
    return s


# --- ClicknClear: T rows are section totals, S rows sales (no units) -----
def clicknclear(name):
    rows = read(name)
    rej, units, rev = Counter(), 0, defaultdict(D)
    declared, computed = {}, {}
    sect_rows, sect_amount = Counter(), defaultdict(D)
    for r in rows:
        kind, it = r[0], r[1]
        scope = "income type " + it
        if kind == "T":
            cur = r[5]
            declared.update({scope + "/rows": r[4], scope + "/balance_brought_forward." + cur: r[6],
                             scope + "/amount." + cur: r[7], scope + "/total_due." + cur: r[8]})
            TOL.update({scope + "/rows": 0, scope + "/amount." + cur: D("0.0001"),
                        scope + "/balance_brought_forward." + cur: 0, scope + "/total_due." + cur: D("0.01")})
            continue
        amount = D(r[17] if it == "M" else r[18])
        sect_rows[scope] += 1
        sect_amount[scope] += amount
        if it == "M":
            bad = None if isrc_ok(r[6]) else "invalid_isrc"
            bad = bad or (None if gtin_ok(r[7]) else "invalid_upc")
        else:
            bad = None if iswc_ok(r[7]) else "invalid_iswc"
        if bad:
            rej[bad] += 1
        else:
            units += 1  # one sale per S row
            rev[r[10] if it == "M" else r[9]] += amount
    for k in declared:
        scope, measure = k.split("/")
        if measure == "rows":
            computed[k] = str(sect_rows[scope])
        elif measure.startswith("amount."):
            computed[k] = str(sect_amount[scope])
        else:
            computed[k] = "n/a"  # balance brought forward from earlier statements
    return summary(name, "clicknclear", sum(sect_rows.values()), rej, units, rev, declared, computed)


# --- DDEX DSR flat files ---------------------------------------------------
def dsr_records(name):
    with open(os.path.join(SAMPLES, name), newline="", encoding="utf-8") as f:
        text = f.read()
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return len(lines), [l.rstrip("\t").split("\t") for l in lines if l and not l.startswith("#")]


def dsr_foot(recs, declared, computed, blocks):
    foot = [r for r in recs if r[0] == "FOOT"][0]
    names = ["lines_in_file", "lines_in_report", "summary_records", "blocks", "blocks_in_report"]
    for n, v in zip(names, foot[1:]):
        declared[n] = v
        TOL[n] = 0
    return foot


def dsr_ugc(name):
    nlines, recs = dsr_records(name)
    sy = [r for r in recs if r[0].startswith("SY")]
    su = [r for r in recs if r[0].startswith("SU03")]
    blocks = {r[1] for r in recs if r[0][:2] in ("AS", "MW", "RU", "SU", "LI")}
    declared, computed = {}, {}
    dsr_foot(recs, declared, computed, blocks)
    computed.update({"lines_in_file": str(nlines), "lines_in_report": str(nlines),
                     "summary_records": str(len(sy)), "blocks": str(len(blocks)), "blocks_in_report": str(len(blocks))})
    for r in sy:  # one SY02.01 per rights controller, all with id 1: service-wide totals
        scope = "summary %s (%s)" % (r[1], r[12])
        declared[scope + "/usages"], computed[scope + "/usages"] = r[8], "n/a"
        declared[scope + "/net_revenue." + r[10]], computed[scope + "/net_revenue." + r[10]] = r[11], "n/a"
    # Identifiers of the blocks: ISRCs and ISWCs all valid.
    assert all(isrc_ok(r[4]) for r in recs if r[0] == "AS01")
    assert all(iswc_ok(r[3]) for r in recs if r[0] == "MW01.01" and len(r) > 3 and r[3].startswith("T"))
    units = sum(int(r[5]) for r in su)
    rev = sum(D(r[6]) for r in su)
    return summary(name, "ddex-dsr-ugc", len(su), {}, units, {sy[0][10]: rev}, declared, computed)


def dsr_tiny(name):
    nlines, recs = dsr_records(name)
    foot = [r for r in recs if r[0] == "FOOT"][0]
    sy = [r for r in recs if r[0].startswith("SY")][0]
    TOL.update({"lines_in_file": 0, "summary/usages": 0})
    # No usage (SU) record at all: the declared usages have nothing to add up.
    return summary(name, "ddex-dsr-ugc", 0, {}, 0, {},
                   {"lines_in_file": foot[1], "summary/usages": sy[5]},
                   {"lines_in_file": str(nlines), "summary/usages": "0"})


def dsr_basic_2020(name):
    nlines, recs = dsr_records(name)
    sy = [r for r in recs if r[0].startswith("SY")]
    su = [r for r in recs if r[0].startswith("SU02")]
    blocks = {r[1] for r in recs if r[0][:2] in ("RE", "AS", "SU")}
    declared, computed = {}, {}
    dsr_foot(recs, declared, computed, blocks)
    computed.update({"lines_in_file": str(nlines), "lines_in_report": str(nlines),
                     "summary_records": str(len(sy)), "blocks": str(len(blocks)), "blocks_in_report": str(len(blocks))})
    s = sy[0]
    assert all(r[2] == s[1] for r in su)  # every usage record names summary S1
    units = sum(int(r[7]) for r in su)     # NumberOfStreams; the record has no revenue column
    declared["summary S1/usages"], computed["summary S1/usages"] = s[8], str(units)
    TOL["summary S1/usages"] = 0
    declared["summary S1/net_revenue." + s[10]], computed["summary S1/net_revenue." + s[10]] = s[11], "n/a"
    assert all(isrc_ok(r[4]) for r in recs if r[0] == "AS02.03")
    assert all(gtin_ok(r[6]) for r in recs if r[0] == "RE01.02")
    return summary(name, "ddex-dsr-basic-audio", len(su), {}, units, {s[10]: D(0)}, declared, computed)


def dsr_basic_2015(name):
    nlines, recs = dsr_records(name)
    sy = [r for r in recs if r[0].startswith("SY")]
    su = [r for r in recs if r[0].startswith("SU02")]
    blocks = {r[1] for r in recs if r[0][:2] in ("RE", "AS", "SU")}
    declared, computed = {}, {}
    dsr_foot(recs, declared, computed, blocks)
    computed.update({"lines_in_file": str(nlines), "lines_in_report": str(nlines),
                     "summary_records": str(len(sy)), "blocks": str(len(blocks)), "blocks_in_report": str(len(blocks))})
    s = sy[0]
    # Every usage record names summary "SY1"; the only summary is "1": the
    # join is a guess and the rows are malformed_row.
    assert all(r[2] == "SY1" for r in su) and s[1] == "1"
    # SY02.03 names a rights controller: Usages and NetRevenue are the
    # service's, not the rows'.
    declared["summary 1/usages"], computed["summary 1/usages"] = s[8], "n/a"
    declared["summary 1/net_revenue." + s[10]], computed["summary 1/net_revenue." + s[10]] = s[11], "n/a"
    return summary(name, "ddex-dsr-basic-audio", len(su), {"malformed_row": len(su)}, 0, {}, declared, computed)


# --- Beatport: UPPER_SNAKE CSV, voids negative ----------------------------
ALPHA3 = None


def beatport(name):
    rows = read(name)
    h, data = rows[0], rows[1:]
    i = h.index
    assert all(len(r) == len(h) for r in data)
    units, rev, voids = 0, D(0), 0
    for r in data:
        assert r[i("PRODUCT_UPC")] == "" or gtin_ok(r[i("PRODUCT_UPC")])
        assert r[i("TRACK_ISRC_CODE")] == "" or isrc_ok(r[i("TRACK_ISRC_CODE")])
        assert re.fullmatch(r"[A-Z]{3}", r[i("TERRITORY")]) and re.fullmatch(r"2017-\d\d-\d\d", r[i("TRANSACTION_DATE")])
        n, amount = int(r[i("TRACK_COUNT")]), D(r[i("NET_TOTAL")])
        if r[i("SALE_TYPE")] == "Void":
            voids += 1
            assert amount < 0
            n = -abs(n)  # a void's positive count is negated
        units += n
        rev += amount
    assert voids == 24 and len(data) == 5975
    return summary(name, "beatport", len(data), {}, units, {"USD": rev})


# --- Traxsource: quoted CSV, free-text trailer ---------------------------
def traxsource(name):
    rows = read(name)
    h = rows[0]
    data = [r for r in rows[1:] if len(r) == len(h)]
    i = h.index
    trailer = {}
    for r in rows[1:]:
        if len(r) == 1 and ":" in r[0]:
            k, v = r[0].split(":", 1)
            trailer[k.strip()] = v.strip()
    rej = Counter()
    units, rev = 0, D(0)
    for r in data:
        if r[i("ISRC")] and not isrc_ok(r[i("ISRC")]):  # 844185059862: a UPC in the ISRC column
            rej["invalid_isrc"] += 1
            continue
        assert r[i("UPC - EAN")] == "" or gtin_ok(r[i("UPC - EAN")])
        units += int(r[i("Qty")])
        rev += D(r[i("Amount Due")])
    qty = [int(r[i("Qty")]) for r in data]
    due = [D(r[i("Amount Due")]) for r in data]
    mech = [D(r[i("Mechanical Withholding")]) for r in data]
    declared = {"units": trailer["Purchases"], "voided_units": trailer["Voided Discrepancies"],
                "net_units": trailer["Total Purchases"], "label_net.USD": trailer["Label Net"],
                "voided_amount.USD": trailer["Voided Amount"],
                "mechanicals_withheld.USD": trailer["Mechanicals Withheld (sales outside U.S.)"],
                "tax.USD": re.search(r"\((.*)\)", trailer["Tax"]).group(1), "amount.USD": trailer["Period Total"],
                "adjustments.USD": trailer["Adjustments"], "previous_unpaid.USD": trailer["Previous Unpaid Statements"],
                "due_to_date.USD": trailer["Due to Date"]}
    computed = {"units": str(sum(q for q in qty if q >= 0)), "voided_units": str(-sum(q for q in qty if q < 0)),
                "net_units": str(sum(qty)), "label_net.USD": str(sum(due) + sum(mech)),
                "voided_amount.USD": str(-sum(d for d, q in zip(due, qty) if q < 0)),
                "mechanicals_withheld.USD": str(-sum(mech)), "amount.USD": str(sum(due)),
                "tax.USD": "n/a", "adjustments.USD": "n/a", "previous_unpaid.USD": "n/a", "due_to_date.USD": "n/a"}
    TOL.update({k: (0 if "units" in k else D("0.01")) for k in declared})
    return summary(name, "traxsource", len(data), rej, units, {"USD": rev}, declared, computed)


# --- Bandcamp exports ----------------------------------------------------
def bandcamp(name):
    rows = read(name, encoding="utf-16")
    h = rows[0]
    i = h.index
    data = [r for r in rows[1:] if r[i("item type")] != "payout"
            and r[i("paid to")] != "collected to cover your revenue share balance"]
    rej, units, rev = Counter(), 0, defaultdict(D)
    for r in data:
        upc = r[i("upc")].replace(" ", "")
        if r[i("isrc")] and not isrc_ok(r[i("isrc")]):
            rej["invalid_isrc"] += 1
        elif upc and not gtin_ok(upc):  # 2222222222, 1111111111, 4: test-altered
            rej["invalid_upc"] += 1
        else:
            units += int(r[i("quantity")])
            rev[r[i("currency")]] += D(r[i("net amount")])
    return summary(name, "bandcamp", len(data), rej, units, rev)


def bandcamp_legacy(name):
    rows = read(name)
    h = rows[0]
    i = h.index
    data = [r for r in rows[1:] if r[i("paid to")] != "collected to cover your revenue share balance"]
    units = sum(int(r[i("quantity")]) for r in data)
    rev = defaultdict(D)
    for r in data:
        rev[r[i("currency")]] += D(r[i("net amount")])
    return summary(name, "bandcamp-legacy", len(data), {}, units, rev)


# --- Distributor statements without period or currency -------------------
def sddigital(name):
    rows = read(name)
    h, data = rows[0], rows[1:]
    i = h.index
    assert all(not gtin_ok(r[i("UPC")]) for r in data)  # 2222222222: 10 digits
    return summary(name, "sddigital", len(data), {"invalid_upc": len(data)}, 0, {})


def sdphysical(name):
    rows = read(name)
    h, data = rows[0], rows[1:]
    i = h.index
    assert all(r[i("UPC")] == "" for r in data)
    units = sum(int(r[i("signedQuantity")]) for r in data)
    rev = sum(D(r[i("Label Net Total")]) for r in data)
    return summary(name, "sdphysical", len(data), {}, units, {"USD": rev})


# --- Small distributor fixtures ------------------------------------------
def simple(name, profile, delim, upc_cols, isrc_cols, units_col, amount_col, currency):
    rows = read(name, delim)
    h, data = rows[0], [r for r in rows[1:] if r]
    i = h.index
    rej, units, rev = Counter(), 0, defaultdict(D)
    for r in data:
        isrc = next((r[i(c)] for c in isrc_cols if c in h and r[i(c)]), "")
        upc = next((r[i(c)].strip('"') for c in upc_cols if c in h and r[i(c)]), "")
        if isrc and not isrc_ok(isrc):
            rej["invalid_isrc"] += 1
        elif upc and not gtin_ok(upc):
            rej["invalid_upc"] += 1
        else:
            units += int(r[i(units_col)])
            rev[currency or r[i("Currency")]] += D(r[i(amount_col)])
    return summary(name, profile, len(data), rej, units, rev)


def prs(name):
    rows = read(name)
    # No period anywhere in the file (nor units or territory): every row is
    # missing_field.
    return summary(name, "prs", len(rows) - 1, {"missing_field": len(rows) - 1}, 0, {})


FILES = {
    "appleslicer_45545510_0914_CH.txt": apple,
    "appleslicer_45545510_0914_EU.txt": apple,
    "appleslicer_45545510_0914_JP.txt": apple,
    "appleslicer_financial_report.csv": apple_payments,
    "clicknclear_TEST_RIGHTSHOLDER_STANDARD_Q1_2023.csv": clicknclear,
    "ddexdsrf_DSR_PADPIDA2014999999Z_PADPIDA2014111801Y_AdSupport_2015-02_AU_1of1_20150723T092522.tsv": dsr_tiny,
    "ddexdsrf_DSR_TEST2_YouTube_AdSupport-music_2015-Q4_IS_1of1_20160121T150926.tsv": dsr_ugc,
    "ddexdsrf_DSR_TEST_YouTube_AdSupport-music_2015-Q4_IS_1of1_20160121T150926.tsv": dsr_ugc,
    "instereo_Beatport-2017-Q3-Statement.csv": beatport,
    "instereo_Traxsource-July-2017-Statement.csv": traxsource,
    "orfium_DSR_PADPIDA00123456743_PADPIDA0123456766K_UnlimitedMusicMonthly_2020-06-01--2020-06-30__1of1_20200703T075930.tsv": dsr_basic_2020,
    "orfium_DSR_PADPIDA2015999999X_PADPIDA2015999999X_AdFunded_2015-08-01--2015-08-31__1of1_20151123T182957.tsv": dsr_basic_2015,
    "royaltyappv4_bandcamp.csv": bandcamp,
    "royaltyappv4_sddigital.csv": sddigital,
    "royaltyappv4_sdphysical.csv": sdphysical,
    "trackshift_CdBaby_Test.txt": lambda n: simple(n, "cdbaby", "\t", ["Barcode"], ["Isrc"], "Quantity", "Subtotal", "USD"),
    "trackshift_DistroKid_NonAscii.tsv": lambda n: simple(n, "distrokid", "\t", ["UPC"], ["ISRC"], "Quantity", "Earnings (USD)", "USD"),
    "trackshift_DistroKid_Test.tsv": lambda n: simple(n, "distrokid", "\t", ["UPC"], ["ISRC"], "Quantity", "Earnings (USD)", "USD"),
    "trackshift_Tunecore_Test.csv": lambda n: simple(n, "tunecore", ",", ["UPC", "Optional UPC"], ["ISRC", "Optional ISRC"], "# Units Sold", "Total Earned", None),
    "trackshift_bandcamp-non-ascii.csv": bandcamp_legacy,
    "trackshift_cargo-simple-3-songs.csv": lambda n: simple(n, "cargo", ",", ["Product UPC"], ["Asset ISRC"], "Quantity", "Reported Royalty", None),
    "trackshift_prs-simple-3-songs.csv": prs,
}


def same(a, b):
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, str) and isinstance(b, str) and a != b:
        try:
            return D(a) == D(b)
        except Exception:
            return False
    return a == b


def diff(path, want, got):
    out = []
    if isinstance(want, dict) and isinstance(got, dict):
        for k in sorted(set(want) | set(got)):
            out += diff(path + "." + k, want.get(k), got.get(k))
    elif not same(want, got):
        out.append("%s: golden %r, recomputed %r" % (path, got, want))
    return out


def main():
    bad = 0
    names = sorted(n for n in os.listdir(SAMPLES) if n != "SOURCES.md")
    for name in names:
        TOL.clear()
        if name not in FILES:
            print("NEW  %s: no rule written for it" % name)
            bad += 1
            continue
        want = FILES[name](name)
        with open(os.path.join(HERE, name + ".json")) as f:
            got = json.load(f)
        problems = diff("", want, got)
        print(("ok   " if not problems else "DIFF ") + name)
        for p in problems:
            print("       " + p)
        bad += bool(problems)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
