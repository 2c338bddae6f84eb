"""Fargate's task sizes: the valid cpu/memory pairs, per-service defaults and the JVM heap that fits.

The pairs are AWS's "Task CPU and memory" table for Fargate (ECS developer guide,
"Amazon ECS task definition parameters for Fargate"): memory in MiB for each cpu unit count.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    cpu: int
    memory: int


# cpu units -> (lowest memory, highest memory, step), all MiB
_MEMORY_RANGES: dict[int, tuple[int, int, int]] = {
    256: (512, 2048, 512),  # 512, 1024, 2048 (1536 is not offered): handled in valid_memory
    512: (1024, 4096, 1024),
    1024: (2048, 8192, 1024),
    2048: (4096, 16384, 1024),
    4096: (8192, 30720, 1024),
    8192: (16384, 61440, 4096),
    16384: (32768, 122880, 8192),
}
CPU_VALUES = tuple(_MEMORY_RANGES)

# What each service needs to start and run a small-to-medium installation. clouddriver caches
# every account's resources in memory while its agents run; orca, keel and kayenta run
# pipelines and analyses; rosco runs packer; deck is apache serving static files.
DEFAULT_SIZES: dict[str, Size] = {
    "clouddriver": Size(2048, 8192),
    "deck": Size(256, 512),
    "echo": Size(512, 2048),
    "fiat": Size(512, 2048),
    "front50": Size(512, 2048),
    "gate": Size(512, 2048),
    "igor": Size(512, 2048),
    "kayenta": Size(1024, 4096),
    "keel": Size(1024, 4096),
    "orca": Size(1024, 4096),
    "rosco": Size(1024, 4096),
}


def valid_memory(cpu: int) -> list[int]:
    """The memory values (MiB) Fargate accepts with ``cpu`` units; empty for an unknown cpu value."""
    if cpu == 256:
        return [512, 1024, 2048]
    if cpu not in _MEMORY_RANGES:
        return []
    low, high, step = _MEMORY_RANGES[cpu]
    return list(range(low, high + 1, step))


def is_valid(size: Size) -> bool:
    return size.memory in valid_memory(size.cpu)


def nearest_valid(size: Size) -> Size:
    """The valid pair closest to ``size``: the same cpu when it is offered, else the nearest cpu."""
    cpus = [size.cpu] if size.cpu in _MEMORY_RANGES else sorted(CPU_VALUES, key=lambda c: (abs(c - size.cpu), c))
    best: Size | None = None
    for cpu in cpus[:2]:
        for memory in valid_memory(cpu):
            candidate = Size(cpu, memory)
            if best is None or _distance(candidate, size) < _distance(best, size):
                best = candidate
    assert best is not None
    return best


def _distance(candidate: Size, wanted: Size) -> tuple[int, int, int]:
    # prefer the wanted cpu, then the closest memory, then more memory over less (a JVM needs headroom)
    return (abs(candidate.cpu - wanted.cpu), abs(candidate.memory - wanted.memory), -candidate.memory)


def java_opts(memory_mib: int) -> str:
    """JVM options for a container of ``memory_mib``: heap as a share of the container's memory.

    The JVM sizes its heap from the cgroup limit (container support, JDK 10+); 75 % leaves room for
    metaspace, threads and direct buffers, which a small container needs proportionally more of.
    """
    percent = "75.0" if memory_mib >= 2048 else "60.0"
    return f"-XX:MaxRAMPercentage={percent} -XX:+ExitOnOutOfMemoryError"


def smallest_fitting(cpu: int | None, memory: int | None, cpu_at_least: int, memory_at_least: int) -> Size | None:
    """The smallest valid pair with the given cpu and memory where set, else at least the minimums."""
    for candidate_cpu in CPU_VALUES:
        if (cpu is not None and candidate_cpu != cpu) or (cpu is None and candidate_cpu < cpu_at_least):
            continue
        for candidate_memory in valid_memory(candidate_cpu):
            if memory is not None and candidate_memory == memory:
                return Size(candidate_cpu, candidate_memory)
            if memory is None and candidate_memory >= memory_at_least:
                return Size(candidate_cpu, candidate_memory)
    return None
