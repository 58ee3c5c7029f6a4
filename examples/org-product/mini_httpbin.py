#!/usr/bin/env python3
"""A tiny httpbin-compatible upstream (stdlib only) for when `pip install httpbin` is not possible:
GET /headers answers {"headers": {...}}; /get and /anything/... answer method, url, headers, body.
Usage: python3 mini_httpbin.py [port]   (listens on 127.0.0.1, default 8000)"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        headers = {k.title(): v for k, v in self.headers.items()}
        if self.path.startswith("/headers"):
            out = {"headers": headers}
        else:
            out = {"method": self.command, "url": self.path, "headers": headers, "data": body}
        data = (json.dumps(out, indent=2) + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, fmt, *args):
        pass


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
