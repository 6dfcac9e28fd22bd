"""batch/v1 rules: CronJob schedule and policies, Job modes (pkg/apis/batch/validation)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .common import Context, Path_, Violation, check_enum, invalid, rule

CRON_MACROS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")


@rule("io.k8s.api.batch.v1.CronJobSpec")
def cronjob_spec(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    """concurrencyPolicy values; schedule must be five cron fields or a macro."""
    if not isinstance(node, dict):
        return
    yield from check_enum(node, "concurrencyPolicy", ("Allow", "Forbid", "Replace"), path)
    schedule = node.get("schedule")
    if isinstance(schedule, str):
        body = re.sub(r"^(CRON_)?TZ=\S+\s+", "", schedule.strip())
        if body.startswith("TZ=") or "TZ=" in schedule:
            yield invalid(
                (*path, "schedule"),
                schedule,
                "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
            )
        elif not (body in CRON_MACROS or body.startswith("@every ") or len(body.split()) == 5):
            yield invalid(
                (*path, "schedule"),
                schedule,
                "unparseable schedule: expected exactly 5 fields "
                "(minute hour day-of-month month day-of-week)",
            )


@rule("io.k8s.api.batch.v1.JobSpec")
def job_spec(ctx: Context, node: Any, path: Path_) -> Iterator[Violation]:
    yield from check_enum(node, "completionMode", ("NonIndexed", "Indexed"), path)
    yield from check_enum(node, "podReplacementPolicy", ("TerminatingOrFailed", "Failed"), path)
