"""Words for people: one renderer of decisions, reasons, citations, dates and numbers per language.

Decisions keep codes and structured facts; the sentences are rendered here, for the reader's
language (ru, kk, en), wherever people read them (web, `explain`, documents, exports):

- `formats`: dates ("4 января 2022 г.", "2022 жылғы 4 қаңтар"), numbers, terms, countries (Babel);
- `citations`: the law pack's citations ("Law 152-VII, art. 1") in the reader's language;
- `decisions`: reason sentences from their codes and parameters, headlines, decisions with texts;
- `validation`: validation problems of a record, naming the field by its label;
- `collation`: sorting names (regions, people) in the reader's alphabet.
"""
