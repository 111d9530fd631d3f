"""A static file server for the bench scripts' local issuer: every file is
served as application/json (the discovery document has no extension).
    python3 bench/json_http.py PORT DIR      (binds 127.0.0.1 only)
"""
import functools
import http.server
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    def guess_type(self, path):
        return "application/json"

    def log_message(self, *args):
        pass


port, directory = int(sys.argv[1]), sys.argv[2]
server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=directory))
server.serve_forever()
