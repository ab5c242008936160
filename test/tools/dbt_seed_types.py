"""Prints, as JSON, the column types `dbt seed` declares for a CSV file: dbt's own type tester and the Postgres adapter.

Usage: python dbt_seed_types.py <file.csv>   (with dbt-core and dbt-postgres installed; see scripts/ensure-dbt.sh)
"""
import json
import sys

from dbt_common.clients import agate_helper
from dbt.adapters.postgres.impl import PostgresAdapter

table = agate_helper.from_csv(sys.argv[1], [])
print(json.dumps({c.name: PostgresAdapter.convert_agate_type(table, i) for i, c in enumerate(table.columns)}))
