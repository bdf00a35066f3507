"""Memory of `amnesty serve` (run as a process) while a large generated registry file is uploaded and
imported as a job: the upload is spooled to disk as it arrives, so the server's peak resident memory
grows by far less than the file; the job process reads it in chunks and stays under 1 GB. The figures
are printed (BENCHMARKS.md has the measured ones, with the command); timings are not asserted."""

from __future__ import annotations

import pytest

from amnesty.cli.bench_upload import Probe, signed_in, upload, vm_hwm, wait_for

from .conftest import PASSWORD, serve_process

pytestmark = pytest.mark.slow

HEADER = "person_id,full_name,stage,region,article,part,category,offence_date,context\n"
ROW = "MEM-{n},Айгерим Тестова,pre_trial,Almaty,293,1,small,2022-01-05,riot\n"
MIB = 1024 * 1024


def test_a_large_upload_keeps_the_server_memory_bounded(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("memory")
    big = folder / "registry.csv"
    with big.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for start in range(0, 1_500_000, 50_000):
            out.write("".join(ROW.format(n=n) for n in range(start, start + 50_000)))
    size = big.stat().st_size
    assert size > 120 * MIB
    with serve_process(folder) as served:
        client, csrf = signed_in(served.url, "officer", PASSWORD)
        before = vm_hwm(served.pid)
        with Probe(served.url, served.pid) as probe:
            job_id = upload(client, csrf, big)
            after_upload = vm_hwm(served.pid)
            job = wait_for(client, csrf, job_id, timeout=900, stop_after_stored=4_000)
        peak = vm_hwm(served.pid)
        client.close()
    print(
        f"\nfile {size / MIB:.0f} MiB; server peak {before / MIB:.0f} -> {after_upload / MIB:.0f} MiB after "
        f"the upload, {peak / MIB:.0f} MiB at the end; job process peak {probe.child_peak / MIB:.0f} MiB; "
        f"health max {max(probe.health, default=0):.2f} s over {len(probe.health)} probes, "
        f"{probe.health_failures} failed; job {job['status']}, stored {job['decided']}"
    )
    assert after_upload - before < 64 * MIB  # the file (over 120 MiB) never sat in the server's memory
    assert peak < 1024 * MIB
    assert 0 < probe.child_peak < 1024 * MIB
    assert job["status"] == "cancelled"
    assert job["decided"] >= 4_000
    assert list((folder / "uploads").iterdir()) == []
