"""The deployment files keep their promises: non-root image with a health check, two probed replicas,
tokens from Secrets, and the same install steps as the README."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def test_dockerfile_runs_unprivileged_with_a_health_check_and_the_readme_install() -> None:
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert "\nUSER ilm" in text and "HEALTHCHECK" in text and "/healthz" in text
    assert "python -m venv /opt/venv" in text and "pip install --no-cache-dir ." in text
    assert 'CMD ["ilm-bot", "serve"]' in text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python3 -m venv .venv && .venv/bin/pip install -q -e ." in readme


def test_compose_runs_the_bot_on_postgresql() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    bot, db = compose["services"]["bot"], compose["services"]["db"]
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert bot["depends_on"]["db"]["condition"] == "service_healthy" and "healthcheck" in db


def test_kubernetes_deployment_is_replicated_probed_limited_and_uses_secrets() -> None:
    docs = list(yaml.safe_load_all((DEPLOY / "k8s" / "deployment.yaml").read_text(encoding="utf-8")))
    (deployment,) = docs
    spec = deployment["spec"]
    assert spec["replicas"] >= 2
    (container,) = spec["template"]["spec"]["containers"]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert {"requests", "limits"} <= set(container["resources"])
    env = {e["name"]: e for e in container["env"]}
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "DATABASE_URL"):
        assert "secretKeyRef" in env[name]["valueFrom"], name
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    assert {env["ILM_KNOWLEDGE_DIR"]["value"], env["ILM_INTENTS_DIR"]["value"]} <= mounts
    volumes = {v["name"]: v for v in spec["template"]["spec"]["volumes"]}
    assert volumes["knowledge"]["configMap"]["name"] and volumes["intents"]["configMap"]["name"]
    service = yaml.safe_load((DEPLOY / "k8s" / "service.yaml").read_text(encoding="utf-8"))
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]


def test_the_configmap_lists_every_knowledge_file() -> None:
    deployment = yaml.safe_load((DEPLOY / "k8s" / "deployment.yaml").read_text(encoding="utf-8"))
    volumes = {v["name"]: v for v in deployment["spec"]["template"]["spec"]["volumes"]}
    paths = {item["path"] for item in volumes["knowledge"]["configMap"]["items"]}
    shipped = {p.relative_to(ROOT / "knowledge").as_posix() for p in (ROOT / "knowledge").rglob("*.yaml")}
    assert paths == shipped
