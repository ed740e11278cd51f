"""Sends `timers.sweep` on a fixed interval (APScheduler). Several schedulers are harmless: the
sweep is idempotent, so an operator can run one per machine without coordination."""

from __future__ import annotations

import logging

from apscheduler.schedulers.blocking import BlockingScheduler

from config import get_settings
from models.broker import enqueue
from models.jobs import CleanSandboxes, Sweep
from models.logs import configure_logging

log = logging.getLogger("rehearse.scheduler")


def main() -> None:
    configure_logging()
    interval = get_settings().sweep_interval_seconds
    scheduler = BlockingScheduler()
    scheduler.add_job(lambda: enqueue(Sweep()), "interval", seconds=interval, max_instances=1, coalesce=True)
    scheduler.add_job(
        lambda: enqueue(CleanSandboxes()), "interval", seconds=60, max_instances=1, coalesce=True
    )
    log.info("sending timers.sweep every %.1f s", interval)
    scheduler.start()


if __name__ == "__main__":
    main()
