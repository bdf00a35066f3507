"""Draft decision documents for the acting body, for every outcome, in Russian, Kazakh and English, as
DOCX and PDF. The texts are Jinja2 templates (`templates/<lang>/<outcome>.md.j2`) and word lists
(`templates/<lang>/labels.yaml`) that a lawyer edits without touching code."""
