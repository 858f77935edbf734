"""The production layout in docs/deploy/ is checked, since no container runtime or cluster is at hand to try it:
hadolint lints the image definition, kubernetes-validate checks the manifests against one Kubernetes version's
schema, and the rest keeps the image, the manifests, the manual and the app from drifting apart."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from app import create_app
from app.extensions import db

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "docs" / "deploy"
DOCKERFILE = DEPLOY / "Dockerfile"
MANIFESTS = sorted((DEPLOY / "kubernetes").glob("*.yaml"))
#: the oldest Kubernetes the manifests promise to fit: a version hosting parties still run
KUBERNETES_VERSION = "1.31.0"
#: variables read by a library the app uses rather than by the app's own code
READ_BY_LIBRARIES = {
    "AWS_ENDPOINT_URL": "boto3",
    "AWS_ACCESS_KEY_ID": "boto3",
    "AWS_SECRET_ACCESS_KEY": "boto3",
    "AWS_DEFAULT_REGION": "boto3",
    "PROMETHEUS_MULTIPROC_DIR": "prometheus_client",
}
#: os.environ["X"], os.environ.get("X"), os.getenv("X"), env.get("X") and app.config's _env_int("X") and the like
READS_VARIABLE = re.compile(r"""(?:environ|env|getenv)(?:\.get)?\s*[\[(]\s*["']([A-Z][A-Z0-9_]*)["']""")
READS_VARIABLE_HELPER = re.compile(r"""_env_\w+\(\s*["']([A-Z][A-Z0-9_]*)["']""")


def resources() -> list[dict]:
    return [doc for path in MANIFESTS for doc in yaml.safe_load_all(path.read_text()) if doc]


def of_kind(kind: str) -> list[dict]:
    return [resource for resource in resources() if resource["kind"] == kind]


def workload(name: str) -> dict:
    """The Deployment or Job `name` (the web's Service shares its Deployment's name)."""
    (found,) = [
        resource for resource in [*of_kind("Deployment"), *of_kind("Job")] if resource["metadata"]["name"] == name
    ]
    return found


def containers() -> list[dict]:
    return [
        container
        for resource in [*of_kind("Deployment"), *of_kind("Job")]
        for container in resource["spec"]["template"]["spec"]["containers"]
    ]


def dockerfile_instructions(name: str) -> list[str]:
    """The arguments of each `name` instruction of the final stage, continuation lines joined."""
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    final_stage = re.split(r"^FROM ", text, flags=re.MULTILINE)[-1]
    return re.findall(rf"^{name} (.+)$", final_stage, re.MULTILINE)


def production_layout() -> str:
    text = (ROOT / "docs" / "operations.md").read_text()
    return re.search(r"^## Production layout$(.*?)(?=^## )", text, re.MULTILINE | re.DOTALL).group(1)


def documented_variables() -> set[str]:
    """The variables named in the first column of the Production layout's environment table."""
    rows = re.findall(r"^\| (`[A-Z].*?) \|", production_layout(), re.MULTILINE)
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", row)}


def test_the_image_definition_passes_hadolint():
    hadolint = Path(sys.executable).parent / "hadolint"
    result = subprocess.run([hadolint, DOCKERFILE], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda path: path.name)
def test_the_manifest_fits_the_kubernetes_schema(manifest):
    for resource in yaml.safe_load_all(manifest.read_text()):
        kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)


def test_the_validation_refuses_a_misspelt_field():
    deployment = workload("vb-web")
    deployment["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


def test_the_layout_has_its_processes():
    assert workload("vb-web")["spec"]["replicas"] >= 2
    assert workload("vb-scheduler")["spec"]["replicas"] == 2
    assert workload("vb-migrate")["kind"] == "Job"
    (service,) = of_kind("Service")
    assert service["spec"]["selector"] == workload("vb-web")["spec"]["selector"]["matchLabels"]


def test_the_image_and_the_manifests_run_the_documented_commands():
    documented = [shlex.split(span) for span in re.findall(r"^\| \w+ \| `([^`]+)` \|", production_layout(), re.M)]
    image_command = json.loads(dockerfile_instructions("CMD")[-1])
    commands = [
        workload(name)["spec"]["template"]["spec"]["containers"][0]["command"]
        for name in ("vb-web", "vb-scheduler", "vb-migrate")
    ]
    assert commands == documented
    assert image_command == commands[0]


def test_every_container_uses_the_same_image_as_a_non_root_user_on_a_read_only_root():
    (user,) = dockerfile_instructions("USER")
    assert not user.startswith(("root", "0"))
    assert len({container["image"] for container in containers()}) == 1
    for resource in [*of_kind("Deployment"), *of_kind("Job")]:
        pod = resource["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert f"{pod['securityContext']['runAsUser']}:{pod['securityContext']['runAsGroup']}" == user
        for container in pod["containers"]:
            assert container["securityContext"]["readOnlyRootFilesystem"] is True
            assert container["resources"]["requests"] and container["resources"]["limits"]
            assert {"mountPath": "/tmp", "name": "tmp"} in container["volumeMounts"]  # noqa: S108 - a mount point in the pod


def test_the_probes_ask_for_what_the_app_answers_for_any_host():
    """A probe reaches the pod by its IP address: production must answer its paths whatever the Host header."""
    (web,) = workload("vb-web")["spec"]["template"]["spec"]["containers"]
    probes = [web[probe]["httpGet"] for probe in ("startupProbe", "livenessProbe", "readinessProbe")]
    (healthcheck,) = dockerfile_instructions("HEALTHCHECK")
    assert [probe["path"] for probe in probes] == ["/healthz", "/healthz", "/readyz"]
    assert "http://127.0.0.1:8000/healthz" in healthcheck
    app = create_app("testing")
    app.config["TRUSTED_HOSTS"] = ["vb.example.nl"]
    client = app.test_client()
    assert client.get("/inloggen", headers={"Host": "10.244.1.7"}).status_code == 400
    assert client.get("/healthz", headers={"Host": "10.244.1.7"}).status_code == 200
    # answered (ready or not, as the test database stands), not refused for its Host
    assert client.get("/readyz", headers={"Host": "10.244.1.7"}).json["checks"]["database"] in ("ok", "failed")
    with app.app_context():
        db.engine.dispose()  # the readiness check's connection, before the app is dropped


def test_every_variable_the_manifests_set_is_documented():
    (config,) = of_kind("ConfigMap")
    (secret,) = of_kind("Secret")
    named = {*config["data"], *secret["stringData"]} | {
        variable["name"] for container in containers() for variable in container.get("env", [])
    }
    image = {word.split("=")[0] for line in dockerfile_instructions("ENV") for word in line.split()}
    assert named <= documented_variables()
    assert image - {"PATH", "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED"} <= documented_variables()


def test_every_documented_variable_is_read_by_the_app():
    """Fails until the settings of issue 22, sections 1-4 (STORAGE_URL, REDIS_URL, ...) are read by app/."""
    source = "\n".join(path.read_text() for path in (ROOT / "app").rglob("*.py"))
    read = set(READS_VARIABLE.findall(source)) | set(READS_VARIABLE_HELPER.findall(source))
    assert documented_variables() - read - set(READ_BY_LIBRARIES) == set()


def test_the_build_context_lets_in_what_the_image_copies():
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    allowed = {line.removeprefix("!") for line in ignore if line.startswith("!")}
    copied = re.findall(r"^COPY (?!--from)(.+) \S+$", DOCKERFILE.read_text(), re.MULTILINE)
    assert {source for line in copied for source in line.split()} <= allowed
