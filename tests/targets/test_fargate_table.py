"""Fargate task sizes at every edge of AWS's table, with the table read from AWS's own API model.

The oracle is the documentation of ``RegisterTaskDefinition``'s ``memory`` member in botocore's
ECS service model (the text of AWS's "Task CPU and memory" table, shipped with botocore), parsed
here: nothing in it comes from spinconf/targets/fargate.py. Each cpu row is checked, as an
operator sees it, at its lowest and highest memory (the task definition carries the pair) and one
step outside either end (an ecs-task-size-invalid error at the memory key).
"""

from __future__ import annotations

import html
import itertools
import json
import re
from functools import cache
from pathlib import Path

import botocore.session
import pytest

from spinconf.loader import load_project
from spinconf.render import render_project
from spinconf.targets import fargate
from tests.helpers import make_project, render_ok
from tests.targets.projects import fargate as fargate_project

_BETWEEN = re.compile(
    r"Between (\d+) (?:\(\d+ GB\) )?and (\d+) (?:\(\d+ GB\) )?in increments of (\d+)|"
    r"Between (\d+) ?GB and (\d+) ?GB in (\d+) ?GB increments"
)
_LISTED = re.compile(r"(\d+) \([\d.]+ GB\)")
_CPU = re.compile(r"Available cpu values: (\d+) ")


@cache
def aws_table() -> dict[int, tuple[int, ...]]:
    """cpu units -> every memory value (MiB) AWS documents for it, from botocore's ECS model."""
    model = botocore.session.get_session().get_service_model("ecs")
    doc = model.operation_model("RegisterTaskDefinition").input_shape.members["memory"].documentation
    table: dict[int, tuple[int, ...]] = {}
    for item in re.findall(r"<li>(.*?)</li>", doc, flags=re.S):
        text = html.unescape(re.sub(r"<[^>]+>", "", item))
        text = re.sub(r"\s+", " ", text)
        cpu = _CPU.search(text)
        assert cpu, text
        between = _BETWEEN.search(text)
        if between and between.group(1):
            low, high, step = (int(between.group(i)) for i in (1, 2, 3))
        elif between:
            low, high, step = (int(between.group(i)) * 1024 for i in (4, 5, 6))
        else:
            table[int(cpu.group(1))] = tuple(int(v) for v in _LISTED.findall(text.split(" - ")[0]))
            continue
        table[int(cpu.group(1))] = tuple(range(low, high + 1, step))
    return table


def _step(values: tuple[int, ...]) -> int:
    return min(b - a for a, b in itertools.pairwise(values))


def test_the_parsed_table_is_aws_whole_table() -> None:
    # guards the parser, not spinconf: seven rows, each non-empty and increasing
    table = aws_table()
    assert sorted(table) == [256, 512, 1024, 2048, 4096, 8192, 16384]
    assert all(values and list(values) == sorted(set(values)) for values in table.values())


@pytest.mark.parametrize("cpu", [256, 512, 1024, 2048, 4096, 8192, 16384])
def test_every_memory_value_of_a_row_and_only_those(cpu: int) -> None:
    offered = aws_table()[cpu]
    top = max(offered) + 2 * _step(offered)
    accepted = [m for m in range(256, top + 1, 256) if fargate.is_valid(fargate.Size(cpu, m))]
    assert accepted == list(offered)


def test_a_cpu_outside_the_table_is_refused() -> None:
    for cpu in (128, 384, 3072, 32768):
        assert not any(fargate.is_valid(fargate.Size(cpu, m)) for m in range(512, 131073, 512))


# One project per edge: each of seven services gets one cpu row (what an operator writes).
_SERVICES = ("clouddriver", "deck", "echo", "front50", "gate", "orca", "rosco")  # enabled by default


def _sizes(pick: str) -> dict[str, tuple[int, int]]:
    out = {}
    for svc, (cpu, offered) in zip(_SERVICES, sorted(aws_table().items()), strict=True):
        step = _step(offered)
        memory = {
            "lowest": offered[0],
            "highest": offered[-1],
            "below": offered[0] - step,
            "above": offered[-1] + step,
        }[pick]
        out[svc] = (cpu, memory)
    return out


def _project(tmp_path: Path, sizes: dict[str, tuple[int, int]]) -> Path:
    overlay = "services:\n" + "".join(
        f"  {svc}:\n    ecs:\n      cpu: {cpu}\n      memory: {memory}\n" for svc, (cpu, memory) in sizes.items()
    )
    return make_project(tmp_path, fargate_project(extra={"overlays/size.yml": overlay}))


@pytest.mark.parametrize("pick", ["lowest", "highest"])
def test_each_row_at_its_edge_renders_that_size(pick: str, tmp_path: Path) -> None:
    sizes = _sizes(pick)
    _, rendered = render_ok(_project(tmp_path, sizes))
    for svc, (cpu, memory) in sizes.items():
        taskdef = json.loads(rendered.files[f"ecs/{svc}.taskdef.json"])
        assert (taskdef["cpu"], taskdef["memory"]) == (str(cpu), str(memory)), svc


@pytest.mark.parametrize("pick", ["below", "above"])
def test_one_step_outside_each_row_is_an_error_at_the_memory_key(pick: str, tmp_path: Path) -> None:
    sizes = _sizes(pick)
    root = _project(tmp_path, sizes)
    project = load_project(root)
    if project.valid:
        render_project(project)
    found = {d.message.split(":")[0]: d for d in project.diagnostics.sorted() if d.code == "ecs-task-size-invalid"}
    assert sorted(found) == sorted(sizes)
    for n, (svc, (cpu, memory)) in enumerate(sizes.items()):
        d = found[svc]
        assert d.is_error and d.file == "overlays/size.yml"
        assert d.line == 2 + 4 * n + 3, svc  # the memory line of that service
        assert f"{svc}: cpu {cpu} / memory {memory} is not a Fargate task size" in d.message
        offered = aws_table()[cpu]
        assert f"memory {offered[0]}-{offered[-1]} MiB" in d.message


# ------------------------------------------------------------------ the nearest valid size


@pytest.mark.parametrize(
    ("cpu", "memory", "nearest"),
    [
        (1024, 10000, (1024, 8192)),  # the same cpu, its closest memory
        (2048, 4608, (2048, 5120)),  # halfway between 4096 and 5120: more memory (a JVM needs headroom)
        (3500, 8192, (4096, 8192)),  # no such cpu: the closest one above
        (3000, 8192, (2048, 8192)),  # no such cpu: the closest one below
        (100, 256, (256, 512)),
        (20000, 200000, (16384, 122880)),
    ],
)
def test_the_error_names_the_nearest_valid_size(
    cpu: int, memory: int, nearest: tuple[int, int], tmp_path: Path
) -> None:
    root = _project(tmp_path, {"orca": (cpu, memory)})
    (found,) = [d for d in load_project(root).diagnostics.sorted() if d.code == "ecs-task-size-invalid"]
    assert found.message.endswith(f"nearest valid: cpu {nearest[0]}, memory {nearest[1]}")
    assert nearest[1] in aws_table()[nearest[0]]  # the suggestion is itself a size AWS offers


@pytest.mark.parametrize(("cpu", "memory", "percent"), [(512, 1024, "60.0"), (512, 2048, "75.0"), (256, 2048, "75.0")])
def test_the_jvm_heap_share_follows_the_container_memory(cpu: int, memory: int, percent: str, tmp_path: Path) -> None:
    _, rendered = render_ok(_project(tmp_path, {"orca": (cpu, memory)}))
    container = json.loads(rendered.files["ecs/orca.taskdef.json"])["containerDefinitions"][0]
    env = {e["name"]: e["value"] for e in container["environment"]}
    assert env["JAVA_OPTS"] == f"-XX:MaxRAMPercentage={percent} -XX:+ExitOnOutOfMemoryError"


def _smallest_in_aws_table(cpu: int | None, memory: int | None, cpu_at_least: int, memory_at_least: int) -> object:
    """The oracle: every pair of AWS's table that fits, the one with the least cpu, then the least memory."""
    fits = [
        (c, m)
        for c, values in aws_table().items()
        for m in values
        if (c == cpu if cpu is not None else c >= cpu_at_least)
        and (m == memory if memory is not None else m >= memory_at_least)
    ]
    return fargate.Size(*min(fits)) if fits else None


def test_the_task_size_that_holds_sidecars_is_the_smallest_in_aws_table() -> None:
    # what a task with an agent or collector beside the service gets (targets/sidecars.layout): the
    # service's cpu and memory where the operator set them, else the smallest pair over the sums
    cpus = [None, 256, 512, 1024, 4096, 16384, 3000]
    memories = [None, 512, 2048, 3072, 8192, 30720, 32768, 122880, 1000]
    minimums = [(256, 512), (300, 600), (512, 1024), (1024, 2048), (1024, 8193), (2048, 16384), (4096, 30721)]
    minimums += [(8192, 122880), (16384, 122881), (16385, 512)]
    checked = 0
    for cpu, memory, (cpu_at_least, memory_at_least) in itertools.product(cpus, memories, minimums):
        expected = _smallest_in_aws_table(cpu, memory, cpu_at_least, memory_at_least)
        assert fargate.smallest_fitting(cpu, memory, cpu_at_least, memory_at_least) == expected, (
            cpu,
            memory,
            cpu_at_least,
            memory_at_least,
        )
        checked += expected is not None
    assert checked > 100  # most cases have an answer: the comparison is not between two Nones
