#!/usr/bin/env python3
"""A tiny local host for a Python AWS Lambda handler.

It loads a handler given as ``module:function`` (or ``path/to/file.py:function``) and serves it on
the path of the AWS Lambda runtime interface emulator, so a localddb stream hook (or anything that
speaks to the emulator) can invoke it without containers:

    POST /2015-03-31/functions/function/invocations     body: the event JSON

The response is the handler's return value as JSON (``null`` for None), status 200. If the handler
raises, the response is status 500 with the error in Lambda's shape
(``{"errorMessage", "errorType", "stackTrace"}``), which localddb treats as a failed delivery and
retries.

Usage:
    /usr/bin/python3 conformance/lambda/lambda_host.py HANDLER [--host 127.0.0.1] [--port 9000]

It prints ``lambda host listening on http://HOST:PORT`` once it accepts connections. Only the
standard library is used; the handler may import boto3 as usual.
"""
import argparse
import importlib
import importlib.util
import json
import os
import sys
import threading
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

INVOKE_PATH = "/2015-03-31/functions/function/invocations"


def load_handler(spec):
    """Resolves 'module:function' or 'file.py:function' to the function object."""
    module_part, sep, function_name = spec.rpartition(":")
    if not sep or not module_part or not function_name:
        raise SystemExit(f"lambda_host: handler must be module:function, got {spec!r}")
    if module_part.endswith(".py") or os.sep in module_part:
        path = os.path.abspath(module_part)
        sys.path.insert(0, os.path.dirname(path))
        name = os.path.splitext(os.path.basename(path))[0]
        module_spec = importlib.util.spec_from_file_location(name, path)
        if module_spec is None:
            raise SystemExit(f"lambda_host: cannot load {path}")
        module = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(module)
    else:
        sys.path.insert(0, os.getcwd())
        module = importlib.import_module(module_part)
    handler = getattr(module, function_name, None)
    if not callable(handler):
        raise SystemExit(f"lambda_host: {function_name!r} is not a function of {module_part}")
    return handler


class LambdaContext:
    """The parts of the Lambda context object handlers commonly read."""

    def __init__(self, function_name):
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = (
            f"arn:aws:lambda:us-east-1:000000000000:function:{function_name}")
        self.memory_limit_in_mb = 128
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "local"

    @staticmethod
    def get_remaining_time_in_millis():
        return 300000


def make_request_handler(handler, function_name, lock):
    class Invocation(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # quiet unless asked
            if os.environ.get("LAMBDA_HOST_VERBOSE"):
                sys.stderr.write("lambda_host: " + fmt % args + "\n")

        def reply(self, status, payload):
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            self.reply(200, {"status": "ok"})

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if self.path.split("?")[0] != INVOKE_PATH:
                self.reply(404, {"message": f"no function at {self.path}"})
                return
            try:
                event = json.loads(raw or b"null")
            except ValueError as e:
                self.reply(400, {"errorMessage": f"invalid JSON event: {e}",
                                 "errorType": "InvalidRequestContentException"})
                return
            # One invocation at a time, as one Lambda instance would run it.
            with lock:
                try:
                    result = handler(event, LambdaContext(function_name))
                except Exception as e:  # the handler's failure is the invocation's result
                    traceback.print_exc()
                    self.reply(500, {"errorMessage": str(e), "errorType": type(e).__name__,
                                     "stackTrace": traceback.format_exc().splitlines()})
                    return
            self.reply(200, result)

    return Invocation


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("handler", help="module:function or path/to/file.py:function")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--name", default="function", help="function name in the context")
    args = parser.parse_args(argv)
    handler = load_handler(args.handler)
    server = ThreadingHTTPServer((args.host, args.port),
                                 make_request_handler(handler, args.name, threading.Lock()))
    host, port = server.server_address[:2]
    print(f"lambda host listening on http://{host}:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
