"""Running Motcua's server processes: gunicorn's command line, and a small supervisor for `motcua demo`, which
runs the web server beside the worker and the simulators and stops them all together."""
import signal
import subprocess
import sys
import time


def gunicorn_command(bind, workers):
    return [sys.executable, "-m", "gunicorn", "motcua.wsgi:application", "--bind", bind,
            "--workers", str(workers), "--access-logfile", "-"]


def supervise(procs, poll=0.2, grace=10):
    """Wait until one of the processes ends or this process gets SIGINT/SIGTERM, then stop all of them
    (SIGTERM, then SIGKILL after `grace` seconds). Returns the exit code to leave with."""
    signals = []
    previous = {s: signal.signal(s, lambda signum, _frame: signals.append(signum))
                for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not signals and all(p.poll() is None for p in procs):
            time.sleep(poll)
    finally:
        stop(procs, grace)
        for s, handler in previous.items():
            signal.signal(s, handler)
    if signals:
        return 0
    return next((p.returncode for p in procs if p.returncode), 0)


def stop(procs, grace=10):
    for p in procs:
        if p.poll() is None:
            p.terminate()
    deadline = time.monotonic() + grace
    for p in procs:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
