"""Statistics of decisions: counts by outcome, stage, category, region, role and over time, as tables
(CSV, XLSX) and charts (PNG, SVG)."""
