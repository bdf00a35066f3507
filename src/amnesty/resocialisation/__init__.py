"""Resocialisation tasks after release (LAW.md section 6): life cycle, overdue tasks per region, and
the XLSX export for a region's report. Pure logic over plain data; the store keeps the tasks."""
