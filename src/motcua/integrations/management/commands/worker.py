from django.core.management.base import BaseCommand

from motcua.integrations import delivery, outbox, worker


class Command(BaseCommand):
    help = ("Chạy tiến trình nền: gửi các thông điệp đồng bộ (DVCQG...) theo thứ tự, thử lại, thu hồi việc dở dang. "
            "Run background jobs: ordered delivery with retries; sweeps work lost by killed workers.")

    def add_arguments(self, parser):
        parser.add_argument("--processes", type=int, default=1, help="number of worker processes (PostgreSQL: >1 is safe)")
        parser.add_argument("--interval", type=float, default=0.5, help="seconds between polls when idle")
        parser.add_argument("--batch", action="store_true", help="run what is ready now, sweep once, then exit")

    def handle(self, *args, **opts):
        if opts["batch"]:
            delivery.sweep()
            worker.run_jobs()
            return
        n = max(1, opts["processes"])
        if n == 1:
            self.stdout.write(f"worker {outbox.WORKER_ID} đang chạy (Ctrl-C để dừng)")
            worker.serve(interval=opts["interval"])
            return
        import multiprocessing
        import os
        import signal
        from django.db import connections
        connections.close_all()
        procs = [multiprocessing.get_context("fork").Process(target=_child, args=(opts["interval"],)) for _i in range(n)]
        for p in procs:
            p.start()
        self.stdout.write(f"{n} worker đang chạy: {', '.join(str(p.pid) for p in procs)} (Ctrl-C để dừng)")
        try:
            for p in procs:
                p.join()
        except KeyboardInterrupt:
            for p in procs:
                if p.pid:
                    os.kill(p.pid, signal.SIGTERM)
            for p in procs:
                p.join()


def _child(interval):
    import uuid
    outbox.WORKER_ID = f"{outbox.WORKER_ID.rsplit('-', 2)[0]}-{__import__('os').getpid()}-{uuid.uuid4().hex[:6]}"
    worker.serve(interval=interval)
