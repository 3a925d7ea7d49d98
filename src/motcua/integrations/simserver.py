"""The in-process handle of a local simulator (DVCQG, payment gateways): a threading HTTP server on loopback with
its State on the server object, started in a daemon thread, with its URL and a clean stop."""
import threading
from http.server import ThreadingHTTPServer


class LocalServer:
    def __init__(self, handler, state, host="127.0.0.1", port=0):
        self.server = ThreadingHTTPServer((host, port), handler)
        self.server.daemon_threads = True
        self.server.state = state
        self.thread = None

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def state(self):
        return self.server.state

    def start(self):
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
