"""examples/ci: the docker-compose service's command line and health check, and the GitHub
Actions and GitLab steps' scripts, run against this build's binary (what can run without a
container daemon or a CI runner)."""
import os
import shutil
import subprocess

import pytest
import yaml

from conftest import AGAINST_LOCAL, REPO, free_port, localddb_binary, make_client

pytestmark = pytest.mark.skipif(not AGAINST_LOCAL, reason="runs the localddb binary")
CI = os.path.join(REPO, "examples", "ci")


def test_compose_service_command_and_health_check(tmp_path):
    compose = yaml.safe_load(open(os.path.join(CI, "docker-compose.yml")))
    service = compose["services"]["dynamodb-local"]
    args = [a.replace("/data/", str(tmp_path) + "/") for a in service["command"]]
    port = free_port()
    args[args.index("--port") + 1] = str(port)
    args[args.index("--host") + 1] = "127.0.0.1"  # the container's 0.0.0.0, kept to this machine here
    proc = subprocess.Popen([localddb_binary(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().startswith("localddb listening on ")
        check = service["healthcheck"]["test"]
        assert check[0] == "CMD" and check[1] == "/usr/local/bin/localddb"
        health = [localddb_binary(), *[c.replace(":8000", f":{port}") for c in check[2:]]]
        assert subprocess.run(health, capture_output=True, timeout=10).returncode == 0
        make_client(f"http://127.0.0.1:{port}").list_tables()
        assert (tmp_path / "localddb.sqlite").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize("source", ["github-actions", "gitlab"])
def test_ci_scripts_start_localddb_and_see_it_healthy(source, tmp_path):
    if source == "github-actions":
        doc = yaml.safe_load(open(os.path.join(CI, "github-actions.yml")))
        script = next(s["run"] for s in doc["jobs"]["test"]["steps"] if s.get("name") == "Start localddb")
    else:
        doc = yaml.safe_load(open(os.path.join(CI, "gitlab-ci.yml")))
        script = "\n".join(line for line in doc["test"]["script"] if "pytest" not in line)
    port = free_port()
    shutil.copy(localddb_binary(), tmp_path / "localddb")
    script = script.replace("8000", str(port))
    out = subprocess.run(["bash", "-c", script + "\nkill %1"], cwd=tmp_path, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert '"status":"ok"' in out.stdout
