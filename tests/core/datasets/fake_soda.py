"""A SODA-like CSV endpoint on 127.0.0.1 for the download tests: real HTTP, real sockets."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class FakeSoda:
    """A SODA-like CSV endpoint on 127.0.0.1: `$select=count(*)`, and pages by `$limit`/`$offset`.
    `fail[offset] = n` makes the next n requests for that page answer HTTP 500."""

    def __init__(self, lines: list[str], header: str):
        self.lines = lines
        self.header = header
        self.fail: dict[int, int] = {}
        self.count_status = 200
        self.requests: list[dict] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the http.server API)
                query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
                owner.requests.append(query)
                if not self.path.startswith("/resource/"):
                    return self.reply(404, "no such dataset")
                if "$select" in query:
                    assert query["$select"] == "count(*)"
                    return self.reply(owner.count_status, f'"count"\n"{len(owner.lines)}"\n')
                assert query["$order"] == ":id"
                limit, offset = int(query["$limit"]), int(query["$offset"])
                if owner.fail.get(offset, 0) > 0:
                    owner.fail[offset] -= 1
                    return self.reply(500, "try again")
                self.reply(200, "\n".join([owner.header, *owner.lines[offset : offset + limit]]) + "\n")

            def reply(self, status: int, body: str) -> None:
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/csv")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/resource/d5tf-ez2w.csv"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def page_requests(self) -> list[int]:
        return [int(q["$offset"]) for q in self.requests if "$offset" in q]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
