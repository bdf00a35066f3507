"""Domain vocabulary and objects: enums, the case record (input) and the decision (output)."""
