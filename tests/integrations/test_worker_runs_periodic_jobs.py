"""`motcua worker` runs the periodic jobs: the signed history checkpoint and the cleanup of abandoned filings."""
import json

from motcua.dossiers import services
from motcua.integrations import worker

from ..conftest import at


def test_due_jobs_run_once_per_interval_and_a_failure_does_not_stop_the_others():
    ran = []

    def boom():
        ran.append("boom")
        raise RuntimeError("TSA down")

    jobs = [("a", 60, lambda: ran.append("a")), ("b", 0, lambda: ran.append("b")), ("c", 30, boom),
            ("d", 30, lambda: ran.append("d"))]
    last = {}
    worker.run_due(jobs, last, now=1000.0)
    assert ran == ["a", "boom", "d"]          # "b" is off (0 s); "c" failed, "d" still ran
    worker.run_due(jobs, last, now=1029.0)
    assert ran == ["a", "boom", "d"]          # nothing due yet
    worker.run_due(jobs, last, now=1030.0)
    assert ran == ["a", "boom", "d", "boom", "d"]
    worker.run_due(jobs, last, now=1060.0)
    assert ran[-3:] == ["a", "boom", "d"]


def test_the_worker_writes_history_checkpoints(settings, tmp_path, actors, intake_data):
    settings.MOTCUA_HISTORY_CHECKPOINT_DIR = tmp_path / "checkpoints"
    settings.MOTCUA_HISTORY_CHECKPOINT_KEY = tmp_path / "keys" / "checkpoint.pem"
    settings.MOTCUA_HISTORY_TSA_URL = ""
    settings.MOTCUA_HISTORY_CHECKPOINT_MINUTES = 15
    d, _ = services.intake(actors["receiver"], intake_data, now=at("2026-06-01 08:00"))
    jobs = dict((name, (seconds, job)) for name, seconds, job in worker.periodic_jobs())
    assert jobs["history_checkpoint"][0] == 15 * 60 and jobs["cleanup_uploads"][0] == 3600
    worker.run_due(worker.periodic_jobs(), {}, now=0.0)
    files = sorted((tmp_path / "checkpoints").glob("checkpoint-*.json"))
    assert len(files) == 1
    assert [h[0] for h in json.loads(files[0].read_text())["body"]["heads"]] == [d.code]
    settings.MOTCUA_HISTORY_CHECKPOINT_MINUTES = 0
    assert dict((n, s) for n, s, _j in worker.periodic_jobs())["history_checkpoint"] == 0
