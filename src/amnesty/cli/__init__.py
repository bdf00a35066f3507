"""The `amnesty` command line (Typer): one module per group of commands, registered in `main`,
and the helpers they share (`common`, `summaries`, and `bench_service`, the harness behind
`amnesty bench-service`)."""
