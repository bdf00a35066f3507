"""Law of the Republic of Kazakhstan of 2 November 2022 No. 152-VII ZRK "On Amnesty" (the January
2022 events): its data in `pack.yaml`, the normative reading in shared/spec/LAW.md."""
