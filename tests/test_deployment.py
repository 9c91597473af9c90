"""The production Compose file validates with Debian's docker-compose and has the expected shape.

No Docker engine is needed: `docker-compose config` only reads and interpolates the file. CI
installs docker-compose (.ci/run), so a missing one is a failure here, not a skip.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = "docker-compose.yml"
DUMMY_SECRET_KEY = "compose-validation-only-" + "x" * 40
LONG_RUNNING = {"web", "worker", "beat", "db", "redis"}


def docker_compose() -> str:
    path = shutil.which("docker-compose")
    if path is None:
        pytest.fail(
            "docker-compose is not installed: `apt-get install docker-compose` (CI's .ci/run does)"
        )
    return path


def compose(tmp_path: Path, *args: str, secret_key: str | None = DUMMY_SECRET_KEY):
    """Run `docker-compose -f docker-compose.yml ARGS` without the caller's .env or variables."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    if secret_key is not None:
        env["SECRET_KEY"] = secret_key
    empty_env_file = tmp_path / "empty.env"
    empty_env_file.write_text("")
    return subprocess.run(
        [docker_compose(), "--env-file", str(empty_env_file), "-f", COMPOSE_FILE, *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def services(config_yaml: str) -> dict[str, dict[str, list[str]]]:
    """Each service's top-level keys with their raw lines, from the normalised `config` output.

    docker-compose prints the resolved file with two-space indents: services at indent 2, their
    keys at indent 4 and list items of those keys also at indent 4 ("    - item").
    """
    result: dict[str, dict[str, list[str]]] = {}
    in_services = False
    service = key = None
    for line in config_yaml.splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent == 0:
            in_services = line.rstrip() == "services:"
            continue
        if not in_services:
            continue
        if indent == 2:
            service = line.strip().rstrip(":")
            result[service] = {}
        elif indent == 4 and not line.lstrip().startswith("- "):
            key, _, value = line.strip().partition(":")
            result[service][key] = [value.strip()] if value.strip() else []
        else:
            result[service][key].append(line.strip().removeprefix("- ").strip("'\""))
    return result


def command_of(service: dict[str, list[str]]) -> list[str]:
    return " ".join(service.get("command", [])).split()


@pytest.fixture(scope="module")
def config(tmp_path_factory) -> dict[str, dict[str, list[str]]]:
    result = compose(tmp_path_factory.mktemp("compose"), "config")
    assert result.returncode == 0, result.stderr
    return services(result.stdout)


def test_compose_file_validates(tmp_path):
    result = compose(tmp_path, "config", "-q")
    assert result.returncode == 0, f"docker-compose config -q failed:\n{result.stderr}"


def test_compose_file_requires_secret_key(tmp_path):
    result = compose(tmp_path, "config", "-q", secret_key=None)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_services(config):
    assert LONG_RUNNING <= set(config), sorted(config)
    assert config["db"]["image"] == ["postgres:16"]
    assert config["redis"]["image"] == ["redis:7"]


def test_exactly_one_beat(config):
    beats = [name for name, service in config.items() if "beat" in command_of(service)]
    assert beats == ["beat"]
    # A fixed container name makes `docker-compose up --scale beat=2` impossible.
    assert config["beat"].get("container_name"), "beat must not be scalable"
    # A worker with an embedded scheduler would be another beat per worker replica.
    for name, service in config.items():
        command = command_of(service)
        if "worker" in command:
            assert "-B" not in command and "--beat" not in command, name


def test_every_long_running_service_has_a_healthcheck(config):
    for name in LONG_RUNNING:
        assert "healthcheck" in config[name], f"{name} has no healthcheck"
    assert "docker/healthcheck.py" in config["web"]["healthcheck"]


def test_production_environment(config):
    for name in ("web", "worker", "beat", "init"):
        environment = config[name]["environment"]
        assert "STYRMODELL_ENV: production" in environment, name
        assert f"SECRET_KEY: {DUMMY_SECRET_KEY}" in environment, name
        assert "REDIS_URL: redis://redis:6379/0" in environment, name
        assert any(line.startswith("DATABASE_URL: postgres://") for line in environment), name


def test_a_web_requests_statement_is_cancelled_before_gunicorn_would_kill_the_worker(config):
    timeout = next(line for line in config["web"]["environment"]
                   if line.startswith("DB_STATEMENT_TIMEOUT_MS:"))
    assert 0 < int(timeout.split(":")[1].strip().strip("'\"")) < 60_000
    gunicorn = next(part for part in command_of(config["web"]) if part.startswith("--timeout="))
    assert gunicorn == "--timeout=60"
    for name in ("worker", "beat"):
        assert not any(line.startswith("DB_STATEMENT_TIMEOUT_MS")
                       for line in config[name]["environment"]), name


def test_the_statement_timeout_cancels_a_slow_query_on_postgresql(db):
    """The setting reaches PostgreSQL: a statement longer than the limit is cancelled."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("This test runs against PostgreSQL (set DATABASE_URL).")
    url = (f"postgres://{database.get('USER') or 'postgres'}@{database.get('HOST') or '127.0.0.1'}"
           f":{database.get('PORT') or 5432}/{database['NAME']}")
    env = {**os.environ, "DB_STATEMENT_TIMEOUT_MS": "200", "DATABASE_URL": url,
           "DJANGO_SETTINGS_MODULE": "styrmodell.settings"}
    script = ("import django; django.setup()\n"
              "from django.db import connection, utils\n"
              "try:\n"
              "    connection.cursor().execute('SELECT pg_sleep(3)')\n"
              "except utils.OperationalError as error:\n"
              "    print(error)\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert "canceling statement due to statement timeout" in result.stdout, result.stderr


def test_web_and_workers_wait_for_migrations(config):
    assert command_of(config["init"]) == ["sh", "docker/init.sh"]
    init_script = (REPO_ROOT / "docker" / "init.sh").read_text()
    assert "migrate --noinput" in init_script
    assert "collectstatic --noinput" in init_script
    for name in ("web", "worker", "beat"):
        depends_on = "\n".join(config[name]["depends_on"])
        assert "init:" in depends_on and "service_completed_successfully" in depends_on, name


def test_named_volumes(config):
    db_volumes = config["db"]["volumes"]
    assert any(line.startswith("postgres-data:/var/lib/postgresql/data") for line in db_volumes)
    web_volumes = config["web"]["volumes"]
    assert any(line.startswith("staticfiles:/app/var/staticfiles") for line in web_volumes)


def test_dockerfile():
    dockerfile = (REPO_ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "FROM python:3.11-slim" in dockerfile
    assert "uv sync --frozen --no-dev" in dockerfile
    users = [line.split()[1] for line in dockerfile.splitlines() if line.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}, "the image must run as a non-root user"
