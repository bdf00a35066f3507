"""Reading and writing the contract's formats: JSON, JSON Lines (here), CSV, XLSX, Parquet (batch)."""
