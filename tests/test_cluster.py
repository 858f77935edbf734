"""The production layout under faults, short: two web instances and two schedulers on PostgreSQL, Redis and an S3
server, one of each killed mid-run (bench/fault_cluster.py --short; the long run's figures are in bench/README.md).

It runs in the PostgreSQL pass of `.ci/run` only: the layout it proves is the production one, and the database it
uses is one of its own beside the test database (`<test database>_cluster`), emptied first."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgresql"), reason="the production layout runs on PostgreSQL"
)


def test_two_instances_and_two_schedulers_survive_losing_one_of_each(tmp_path):
    environment = {
        **os.environ,
        "BENCH_CLUSTER_DATABASE_URL": f"{TEST_DATABASE_URL}_cluster",
        "BENCH_RESULTS_DIR": str(tmp_path),
    }
    finished = subprocess.run(
        [sys.executable, "bench/fault_cluster.py", "--short"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    result = json.loads((tmp_path / "fault_cluster-short.json").read_text())
    assert result["targets_missed"] == []
    for kind in ("respond", "update action", "upload photo"):
        assert result["writes"][kind]["accepted"] > 0
        assert (result["writes"][kind]["lost"], result["writes"][kind]["duplicated"]) == (0, 0)
    photos = result["writes"]["upload photo"]
    assert photos["readable_from_every_instance"] == photos["accepted"]
    assert result["mail"]["arrived_once"] == result["mail"]["mails"]
    assert result["rate_limit"]["statuses"]["200"] == result["rate_limit"]["limit_per_minute"]
    assert result["stand_in_took_over_within_s"] < 60
    assert result["job_runs"]["killed_leader"] == {"abandoned": 1}
