"""A provider stand-in for the channel tests: a real HTTP server on 127.0.0.1, started by the test, that
records each request and answers with whatever the test queued (else with `default`)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


class StubProvider:
    def __init__(self, check, default):
        """`check(request)` returns None when the request is correctly signed, else an error answer."""
        self.check, self.default = check, default
        self.requests, self.answers = [], []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                parts = urlsplit(self.path)
                request = {
                    "method": self.command,
                    "path": parts.path,
                    "query": dict(parse_qsl(parts.query, keep_blank_values=True)),
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": self.rfile.read(length) if length else b"",
                }
                stub.requests.append(request)
                refused = stub.check(request)
                status, answer = (
                    refused if refused else (stub.answers.pop(0) if stub.answers else stub.default)
                )
                data = json.dumps(answer(request) if callable(answer) else answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _handle

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def queue(self, *answers):
        """(status, json) answers for the next requests, in order."""
        self.answers.extend(answers)

    @property
    def bodies(self):
        return [json.loads(r["body"]) for r in self.requests if r["body"]]
