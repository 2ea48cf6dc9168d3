"""Run by test_faults: a sync of the touched demo company that SIGKILLs its own process mid-way (no cleanup runs).

`python -m tests.hardening.killed_sync STORE_PATH KILL_AT`
"""

from __future__ import annotations

import os
import signal
import sys
from datetime import timedelta

from dashboard.demo import FakePersonio, generate_company
from dashboard.demo.generator import DemoCompany
from dashboard.store import Store
from dashboard.sync import SyncProgress
from tests.hardening.conftest import CLIENT_ID, END, N_APPS, SECRET, SEED, START, VClock, sync


def touched_fake(company: DemoCompany) -> FakePersonio:
    """The fake after every application was updated 30 minutes after the first sync (all histories refetched)."""
    clock = VClock(t=(START + timedelta(hours=1)).timestamp())
    fake = FakePersonio(company, client_id=CLIENT_ID, client_secret=SECRET, clock=clock.now)
    fake.touch_applications(company.applications["application_id"].to_list(), at=START + timedelta(minutes=30))
    return fake


def main(path: str, kill_at: int) -> None:
    company = generate_company(N_APPS, seed=SEED, end=END)
    fake = touched_fake(company)

    def kill(p: SyncProgress) -> None:
        if p.phase == "transitions" and p.done == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    sync(fake, VClock(t=(START + timedelta(hours=1)).timestamp()), Store(path), progress=kill)
    sys.exit("the sync was not killed")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
