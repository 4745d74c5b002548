"""Starts tools/localddb-lambda for a test and keeps everything it prints (its own log and the
handler's prints), read on a thread so a chatty handler never blocks on a full pipe."""
import os
import subprocess
import sys
import threading
import time

from conftest import REPO

TOOL = os.path.join(REPO, "tools", "localddb-lambda")
LAMBDA_DIR = os.path.join(REPO, "conformance", "lambda")


class LambdaTool:
    def __init__(self, handler, endpoint, *args, env=None):
        self.lines = []
        self.proc = subprocess.Popen([sys.executable, TOOL, "--handler", handler, "--port", "0",
                                      "--endpoint", endpoint, *args],
                                     cwd=LAMBDA_DIR, env=env or os.environ.copy(), stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        self.url = None
        ready = threading.Event()

        def read():
            for line in self.proc.stdout:
                self.lines.append(line.rstrip("\n"))
                if line.startswith("localddb-lambda listening on "):
                    self.url = line.split(" on ", 1)[1].strip()
                    ready.set()
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        ready.wait(30)
        assert self.url, "localddb-lambda did not start:\n" + "\n".join(self.lines)

    def invoke_url(self, name="function"):
        return f"{self.url}/2015-03-31/functions/{name}/invocations"

    def output(self):
        return "\n".join(self.lines)

    def wait_for_output(self, text, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if text in self.output():
                return True
            time.sleep(0.05)
        return False

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
