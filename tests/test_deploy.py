"""The deployment files keep their promises.

- The image: built from the hash-checked lock file, non-root, a writable /data for the default
  SQLite file, no pip or setuptools at run time, an exec-form health check, a tight build context.
- Kubernetes: every manifest valid for the API (kubernetes-validate, strict), every pod inside the
  restricted Pod Security Standard, probes, a PodDisruptionBudget, secrets as files, an image
  pinned by version, a grace period longer than the bot's own shutdown budget.
- The lock file pins every dependency pyproject.toml names, within its range, with hashes.
"""

from __future__ import annotations

import fnmatch
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
LOCK = DEPLOY / "requirements.lock"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
#: The bot's default drain budget (ILM_SHUTDOWN_SECONDS) when the manifest doesn't set it.
DEFAULT_SHUTDOWN_SECONDS = 20
#: Volume types a restricted pod may use (the Pod Security Standard's list, less the ones we never need).
RESTRICTED_VOLUMES = {"configMap", "secret", "emptyDir", "projected", "downwardAPI", "persistentVolumeClaim"}


def dockerfile() -> str:
    return (DEPLOY / "Dockerfile").read_text(encoding="utf-8")


def stages() -> list[str]:
    """The Dockerfile's stages, each from its FROM line on."""
    return ["FROM" + part for part in re.split(r"^FROM", dockerfile(), flags=re.M)[1:]]


def documents() -> list[tuple[Path, dict[str, Any]]]:
    return [
        (path, doc)
        for path in sorted(K8S.glob("*.yaml"))
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8"))
        if doc
    ]


def of_kind(kind: str) -> list[dict[str, Any]]:
    return [doc for _, doc in documents() if doc["kind"] == kind]


def pod_templates() -> list[tuple[str, dict[str, Any]]]:
    """Every pod the manifests create: the Deployment's and the migration Job's."""
    pods = of_kind("Deployment") + of_kind("Job")
    return [(f"{d['kind']}/{d['metadata']['name']}", d["spec"]["template"]) for d in pods]


# -- the image --------------------------------------------------------------------------------------------------------


def test_the_image_installs_the_locked_dependencies_then_the_wheel_without_its_dependencies() -> None:
    build, runtime = stages()
    assert "COPY deploy/requirements.lock" in build and "--require-hashes" in build and "-r requirements.lock" in build
    assert "pip wheel --no-deps" in build and "install --no-deps --no-index /wheels/ilm_bot-" in build
    assert 'ilm-bot ask "how many credits is the award?"' in build  # the built image answers, or the build fails
    assert "COPY --from=build /opt/venv /opt/venv" in runtime
    readme = (ROOT / "README.md").read_text(encoding="utf-8")  # the README's commands don't need the lock
    assert "python3 -m venv .venv && .venv/bin/pip install -q -e ." in readme


def test_the_runtime_stage_runs_unprivileged_without_pip_or_setuptools() -> None:
    runtime = stages()[1]
    assert "pip install" not in runtime and "pip uninstall -y -q pip setuptools wheel" in runtime
    assert "! python -c 'import pip'" in runtime and "! python -c 'import setuptools'" in runtime
    assert re.search(r"^USER 10001:10001$", runtime, flags=re.M)
    assert "--uid 10001" in runtime


def test_the_default_sqlite_file_has_a_writable_data_volume() -> None:
    runtime = stages()[1]
    assert 'VOLUME ["/data"]' in runtime and "XDG_DATA_HOME=/data" in runtime
    assert "chown 10001:10001 /data" in runtime
    assert "DATABASE_URL" not in re.sub(r"#.*", "", runtime)  # the default is what runs with nothing set


def test_health_check_and_command_are_in_exec_form() -> None:
    runtime = stages()[1]
    healthcheck = re.search(r"^HEALTHCHECK .*?\n\s+CMD (\[.*\])$", runtime, flags=re.M)
    assert healthcheck, "HEALTHCHECK ... CMD [json array]"
    argv = json.loads(healthcheck[1])
    assert argv[0] == "/opt/venv/bin/python" and "/healthz" in argv[-1]
    assert json.loads(re.search(r"^CMD (\[.*\])$", runtime, flags=re.M)[1]) == ["ilm-bot", "serve"]


def test_the_build_script_uses_docker_or_daemonless_buildah_keeping_the_health_check() -> None:
    script = (DEPLOY / "build-image.sh").read_text(encoding="utf-8")
    assert "docker info" in script and "docker build -f deploy/Dockerfile" in script
    assert "buildah bud --isolation chroot" in script and "--format docker" in script  # OCI drops HEALTHCHECK
    assert "sed -n 's/^version = \"\\(.*\\)\"/\\1/p' pyproject.toml" in script  # tagged with the version


def _ignored(path: str, patterns: list[str]) -> bool:
    """Docker's .dockerignore rule: the last pattern that matches decides; ``!`` re-includes."""
    verdict = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        glob = pattern[1:] if negate else pattern
        glob = glob.removeprefix("**/").rstrip("/")
        parts = path.split("/")
        if any(fnmatch.fnmatch("/".join(parts[: i + 1]), glob) for i in range(len(parts))) or fnmatch.fnmatch(
            parts[-1], glob
        ):
            verdict = not negate
    return verdict


def test_the_build_context_holds_what_the_dockerfile_copies_and_nothing_else() -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    copied = [
        src for line in re.findall(r"^COPY (?!--from)(.+)$", dockerfile(), flags=re.M) for src in line.split()[:-1]
    ]
    assert copied
    for src in copied:
        assert not _ignored(src.rstrip("/"), patterns), f"{src} is copied but excluded from the context"
    for path in (".git", ".venv", "tests", "benchmarks", "bot/__pycache__/x.pyc", "docs", "reports"):
        assert _ignored(path, patterns), f"{path} should not be sent to the builder"


# -- the lock file ----------------------------------------------------------------------------------------------------


def locked() -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) from the lock file."""
    pins: dict[str, tuple[str, list[str]]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text(encoding="utf-8")):
        match = re.match(r"([A-Za-z0-9_.\-]+)==([^\s\\;]+)", block)
        if match:
            pins[canonicalize_name(match[1])] = (match[2], re.findall(r"--hash=sha256:([0-9a-f]{64})", block))
    return pins


def test_the_lock_pins_every_dependency_within_its_range_with_hashes() -> None:
    pins = locked()
    assert pins, "no pins found in deploy/requirements.lock"
    for name, (version, hashes) in pins.items():
        assert hashes, f"{name}=={version} has no hash"
    for text in PROJECT["dependencies"]:
        req = Requirement(text)
        name = canonicalize_name(req.name)
        assert name in pins, f"{name} is in pyproject.toml but not locked: run deploy/lock.sh"
        assert req.specifier.contains(pins[name][0], prereleases=True), f"{name}=={pins[name][0]} not in {req}"
        for extra in req.extras:  # psycopg[binary] brings psycopg-binary
            assert canonicalize_name(f"{req.name}-{extra}") in pins, f"{req.name}[{extra}]"


def test_the_lock_says_how_to_update_it() -> None:
    assert "deploy/lock.sh" in LOCK.read_text(encoding="utf-8").splitlines()[1]
    assert "--generate-hashes" in (DEPLOY / "lock.sh").read_text(encoding="utf-8")
    assert "deploy/lock.sh" in (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")


# -- compose ----------------------------------------------------------------------------------------------------------


def test_compose_runs_the_bot_on_postgresql() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    bot, db = compose["services"]["bot"], compose["services"]["db"]
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert bot["depends_on"]["db"]["condition"] == "service_healthy" and "healthcheck" in db


# -- Kubernetes -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(K8S.glob("*.yaml")), ids=lambda p: p.name)
def test_every_manifest_is_valid_for_the_kubernetes_api_strictly(path: Path) -> None:
    docs = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
    assert docs
    for doc in docs:
        kubernetes_validate.validate(doc, kubernetes_validate.latest_version(), strict=True)


def test_the_validator_rejects_an_unknown_field() -> None:
    """Guard against a validator that accepts anything."""
    (deployment,) = of_kind("Deployment")
    broken = json.loads(json.dumps(deployment))
    broken["spec"]["template"]["spec"]["containers"][0]["securityContext"]["runAsRoot"] = False
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, kubernetes_validate.latest_version(), strict=True)


@pytest.mark.parametrize("name,template", pod_templates(), ids=[n for n, _ in pod_templates()])
def test_every_pod_meets_the_restricted_pod_security_standard(name: str, template: dict[str, Any]) -> None:
    spec = template["spec"]
    pod = spec["securityContext"]
    assert pod["runAsNonRoot"] is True and pod["runAsUser"] >= 10000
    assert pod["seccompProfile"] == {"type": "RuntimeDefault"}
    assert spec["automountServiceAccountToken"] is False
    assert not {"hostNetwork", "hostPID", "hostIPC"} & set(spec)
    volumes = {v["name"]: v for v in spec["volumes"]}
    assert all(set(v) - {"name"} <= RESTRICTED_VOLUMES for v in volumes.values()), volumes
    for container in spec["containers"] + spec.get("initContainers", []):
        ctx = container["securityContext"]
        assert ctx["allowPrivilegeEscalation"] is False, name
        assert ctx["readOnlyRootFilesystem"] is True, name
        assert ctx["capabilities"] == {"drop": ["ALL"]}, name
        assert ctx["runAsNonRoot"] is True and ctx.get("privileged", False) is False, name
        assert ctx["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert {"requests", "limits"} <= set(container["resources"])
        image = container["image"]
        assert image.endswith(f":{PROJECT['version']}") and ":latest" not in image, image
        writable = [m for m in container["volumeMounts"] if not m.get("readOnly")]
        assert writable, "a read-only root needs somewhere for temporary files"
        for mount in writable:  # writable only where needed, and never persistent or shared
            assert "emptyDir" in volumes[mount["name"]], mount


def test_the_namespace_enforces_the_restricted_standard_for_everything_in_it() -> None:
    (namespace,) = of_kind("Namespace")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    for path, doc in documents():
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == namespace["metadata"]["name"], f"{path.name}: {doc['kind']}"


def test_the_deployment_is_replicated_probed_and_drains_within_its_grace_period() -> None:
    (deployment,) = of_kind("Deployment")
    spec = deployment["spec"]
    assert spec["replicas"] >= 2
    assert spec["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    pod = spec["template"]["spec"]
    (container,) = pod["containers"]
    assert container["startupProbe"]["httpGet"]["path"] == "/healthz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    env = {e["name"]: e for e in container["env"]}
    shutdown = int(env.get("ILM_SHUTDOWN_SECONDS", {}).get("value", DEFAULT_SHUTDOWN_SECONDS))
    assert pod["terminationGracePeriodSeconds"] > shutdown
    (pdb,) = of_kind("PodDisruptionBudget")
    assert pdb["spec"]["selector"] == spec["selector"]
    assert 1 <= pdb["spec"]["minAvailable"] < spec["replicas"]
    (service,) = of_kind("Service")
    assert service["spec"]["selector"] == spec["selector"]["matchLabels"]
    policies = {p["metadata"]["name"]: p for p in of_kind("NetworkPolicy")}
    assert policies["ilm-bot"]["spec"]["podSelector"] == spec["selector"]


@pytest.mark.parametrize("name,template", pod_templates(), ids=[n for n, _ in pod_templates()])
def test_secrets_reach_the_bot_as_files_from_secrets(name: str, template: dict[str, Any]) -> None:
    """No secret in an environment variable (inherited by children, shown by describe): *_FILE paths instead."""
    spec = template["spec"]
    (container,) = spec["containers"]
    env = {e["name"]: e for e in container["env"]}
    assert not any("secretKeyRef" in e.get("valueFrom", {}) for e in env.values())
    assert not {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "DATABASE_URL"} & set(env)
    secret_dirs = {
        m["mountPath"]: v["secret"]["secretName"]
        for m in container["volumeMounts"]
        for v in spec["volumes"]
        if v["name"] == m["name"] and "secret" in v
    }
    files = {k: e["value"] for k, e in env.items() if k.endswith("_FILE")}
    assert "DATABASE_URL_FILE" in files
    if name.startswith("Deployment"):
        assert {"SLACK_BOT_TOKEN_FILE", "SLACK_SIGNING_SECRET_FILE"} <= set(files)
    for var, path in files.items():
        assert str(Path(path).parent) in secret_dirs, f"{var}={path} is not in a mounted Secret"


def test_the_configmap_lists_every_knowledge_file() -> None:
    (deployment,) = of_kind("Deployment")
    volumes = {v["name"]: v for v in deployment["spec"]["template"]["spec"]["volumes"]}
    paths = {item["path"] for item in volumes["knowledge"]["configMap"]["items"]}
    shipped = {p.relative_to(ROOT / "knowledge").as_posix() for p in (ROOT / "knowledge").rglob("*.yaml")}
    assert paths == shipped
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e.get("value") for e in container["env"]}
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    assert {env["ILM_KNOWLEDGE_DIR"], env["ILM_INTENTS_DIR"]} <= mounts


def test_the_migration_job_runs_the_migrate_command_with_the_deployments_image() -> None:
    (job,) = of_kind("Job")
    (deployment,) = of_kind("Deployment")
    (migrate,) = job["spec"]["template"]["spec"]["containers"]
    (bot,) = deployment["spec"]["template"]["spec"]["containers"]
    assert migrate["command"] == ["ilm-bot", "migrate"] and migrate["image"] == bot["image"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


def test_checkov_skips_only_the_digest_check_and_says_why() -> None:
    """Skips are annotations on the resource, each with its reason (docs/deploy.md lists them)."""
    for _, doc in documents():
        for key, value in doc["metadata"].get("annotations", {}).items():
            if key.startswith("checkov.io/skip"):
                check, _, reason = value.partition("=")
                assert check == "CKV_K8S_43" and len(reason) > 40, value
