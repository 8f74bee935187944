"""De-identified exports of a program's check-ins and escalations, for program evaluation
(`checkin export` and the dashboard's Export page): `tables` builds the rows, `files` writes
them as CSV or Parquet."""
