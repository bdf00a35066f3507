"""The web application: server-rendered pages (Jinja2 + htmx) for officers, reviewers, social workers and auditors."""
