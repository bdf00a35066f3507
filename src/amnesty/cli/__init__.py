"""The `amnesty` command line (Typer): one module per group of commands, registered in `main`."""
