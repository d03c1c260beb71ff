"""Read a ledgerline Parquet lake the way any outside reader must, with DuckDB.

Usage: python read_lake.py LAKE_ROOT

The reader protocol (see connectors/lake/doc.go): take the partition keys
from _lake.json, walk the key=value directories, read the highest-numbered
manifest in each partition's _manifest/ directory and read exactly the files
it lists - never list data files. Prints one JSON object: row count, distinct
event ids, units and exact revenue per currency (decimal strings).
"""

import json
import os
import sys

import duckdb


def manifest_files(root):
    with open(os.path.join(root, "_lake.json")) as f:
        keys = json.load(f)["partition_keys"]
    partitions = [""]
    for key in keys:
        partitions = [
            os.path.join(p, d)
            for p in partitions
            for d in sorted(os.listdir(os.path.join(root, p)))
            if d.startswith(key + "=") and os.path.isdir(os.path.join(root, p, d))
        ]
    files = []
    for p in partitions:
        mdir = os.path.join(root, p, "_manifest")
        versions = sorted(n for n in os.listdir(mdir) if n.endswith(".json") and n[:20].isdigit())
        if not versions:
            continue
        with open(os.path.join(mdir, versions[-1])) as f:
            manifest = json.load(f)
        files += [os.path.join(root, p, e["name"]) for e in manifest["files"]]
    return files


def main():
    root = sys.argv[1]
    files = manifest_files(root)
    con = duckdb.connect()
    rows, distinct_ids, units = con.execute(
        "SELECT count(*), count(DISTINCT event_id), coalesce(sum(units), 0) FROM read_parquet(?)",
        [files],
    ).fetchone()
    revenue = {
        cur: total
        for cur, total in con.execute(
            "SELECT currency, sum(revenue)::VARCHAR FROM read_parquet(?) GROUP BY currency",
            [files],
        ).fetchall()
    }
    types = dict(
        con.execute(
            "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))",
            [files],
        ).fetchall()
    )
    json.dump(
        {
            "files": len(files),
            "rows": rows,
            "distinct_event_ids": distinct_ids,
            "units": int(units),
            "revenue": revenue,
            "revenue_type": types["revenue"],
            "duckdb_version": duckdb.__version__,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
