"""The use cases of the system of record, with typed results, and the one policy of access.

The API routes (`amnesty.api.routes_*`) and the web pages (`amnesty.web`) call these functions; they
never query the store or decide access themselves. Each use case takes the database session and the
acting user, checks the policy (`amnesty.service.policy`), works in SQL, audits what it must, commits,
and returns a typed result (`amnesty.service.results`).

Modules: `policy` (roles, actions, region scoping), `cases` (search, person file, add / edit /
re-evaluate), `review` (queue and overrides), `tasks`, `stats` (dashboard counts, releases due),
`exports` (CSV and XLSX of every list), `register` (documents, impact over the register), `errors`.
"""
