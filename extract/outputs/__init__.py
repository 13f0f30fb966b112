"""What an extraction is written as and looked at with: rows and tables (CSV, Parquet), the DuckDB store,
reading them back, Excel export, review pages, SQL queries, charts, the notebook and Chinese labels."""
