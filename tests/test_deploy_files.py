"""docker-compose.yml, Dockerfile, Makefile and CI script, checked as files (no Docker engine here)."""
from __future__ import annotations

import yaml

from tests.conftest import ROOT


def test_compose_names_redis_with_aof_and_rasid_with_redis_url():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    redis_service = compose["services"]["redis"]
    assert "--appendonly" in redis_service["command"]
    assert redis_service["command"][redis_service["command"].index("--appendonly") + 1] == "yes"
    assert any(v.endswith(":/data") for v in redis_service["volumes"])
    rasid = compose["services"]["rasid"]
    assert rasid["environment"]["REDIS_URL"].startswith("redis://redis:")
    assert rasid["build"] == "."
    assert "redis" in rasid["depends_on"]


def test_dockerfile_installs_the_package_and_runs_rasid():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install" in dockerfile and 'ENTRYPOINT ["rasid"]' in dockerfile


def test_make_targets_and_ci_call_the_readme_commands():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("run:", "test:", "demo:"):
        assert target in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
