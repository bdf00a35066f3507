"""Background jobs: imports, re-evaluation of the register and impact runs, off the event loop.

A job is a row of the `jobs` table (`amnesty.store.models.JobRow`): every server process can report
its progress, and a runner thread of any process claims a queued job with one conditional UPDATE.
`amnesty.jobs.queue` submits, claims and reads jobs, `amnesty.jobs.work` does each kind's work with
progress in batches, `amnesty.jobs.runner` is the per-process worker thread, and
`amnesty.jobs.kinds` names the kinds, the statuses and who may start or see them.
"""
