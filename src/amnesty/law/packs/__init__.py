"""The law packs shipped with the product: one folder per amnesty law, named by its id
(`kz_2022_152_vii` holds `kz-2022-152-vii`), each with its `pack.yaml`. The registry
(`amnesty.law.registry`) finds them; docs/laws.md says how to add one."""
