"""Extract many documents at once: serially, in a local process pool (the default), or on a Dask cluster.

Every document is read under the same guards wherever it runs — a time limit and a memory limit — so one bad
file is rejected with a reason instead of hanging or killing the build:

- time: an interval timer raises inside the reader (`too-slow`); a CPU-time rlimit set a little beyond it kills
  a reader stuck in native code, which the parent then reports;
- memory: an address-space rlimit makes a runaway allocation fail with MemoryError (`too-much-memory`);
- crash: when a worker process dies, the documents it may have been reading are re-read one per process, so
  the one that kills its reader is named (`reader-crashed`) and the others are unharmed.

Limits come from NIANBAO_DOC_SECONDS (default 180; LibreOffice's own timeout of 120 s fires first) and
NIANBAO_DOC_MEMORY_MB (default 3072: address space beyond what the process already holds, which is larger
than resident memory).

Results come back in input order and are the same objects whichever executor ran them, so the outputs are
byte-identical (tests/test_scale.py builds the same packages with the serial executor, the local pool and a
Dask LocalCluster).
"""

from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from nianbao.build.cache import file_sha256
from nianbao.extract import extract_path
from nianbao.model.record import PackedRecord, Record


@dataclass(frozen=True)
class Job:
    path: str          # where the file is on this machine
    source: str        # what the record calls it (reports/<relative path>)


@dataclass(frozen=True)
class Limits:
    seconds: float = 180.0
    memory_mb: int = 3072

    @classmethod
    def from_env(cls) -> "Limits":
        return cls(float(os.environ.get("NIANBAO_DOC_SECONDS", cls.seconds)),
                   int(os.environ.get("NIANBAO_DOC_MEMORY_MB", cls.memory_mb)))


class _TooSlow(BaseException):
    """Raised by the timer inside the reader; a BaseException so no reader's `except Exception` swallows it."""


def default_workers() -> int:
    """One worker per core this process may use."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def extract_many(jobs: list[Job], executor: str = "process", workers: int | None = None,
                 scheduler: str | None = None, limits: Limits | None = None) -> list[PackedRecord]:
    """One record per job, in job order (packed: see model.record.PackedRecord)."""
    limits = limits or Limits.from_env()
    if not jobs:
        return []
    if executor == "serial":
        return [_guarded(job, limits) for job in jobs]
    if executor == "process":
        return _process_pool(jobs, workers or default_workers(), limits)
    if executor == "dask":
        if not scheduler:
            raise ValueError("the dask executor needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
        return _dask(jobs, scheduler, limits)
    raise ValueError(f"unknown executor {executor!r}: use process, serial or dask")


# ------------------------------------------------------------------------------------------ guards


def _guarded(job: Job, limits: Limits) -> PackedRecord:
    """Extract one file under the time and memory limits (in the calling process's main thread)."""
    saved = {which: resource.getrlimit(which) for which in (resource.RLIMIT_AS, resource.RLIMIT_CPU)}
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        _limit_memory(limits.memory_mb)
        _limit_cpu(limits.seconds)
        signal.setitimer(signal.ITIMER_REAL, limits.seconds)
        # Packed in the worker: the build holds 10,000 of these, and a full record is 4× the memory.
        return PackedRecord(extract_path(Path(job.path), source=job.source))
    except _TooSlow:
        return _rejected(job, "too-slow", f"Reading the file took longer than the {limits.seconds:g}-second limit.")
    except MemoryError:
        return _rejected(job, "too-much-memory",
                         f"Reading the file needed more than the {limits.memory_mb:,} MB memory limit.")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        for which, limit in saved.items():   # the serial executor runs in the build's own process
            resource.setrlimit(which, limit)


def _alarm(signum: int, frame: object) -> None:
    raise _TooSlow()


def _limit_memory(mb: int) -> None:
    """`mb` more address space than the process holds now: the limit is for what reading one file takes. A worker
    forked from a big process (a long test run, a notebook) inherits its address space; a limit counted from
    zero made its imports fail there (`ocr-not-installed` for a scan), though reading needed no more memory."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = _address_space() + mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (want if hard == resource.RLIM_INFINITY else min(want, hard), hard))


def _address_space() -> int:
    """Bytes of address space this process holds (Linux /proc; 0 elsewhere, where the limit counts from zero)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _limit_cpu(seconds: float) -> None:
    """A kernel backstop for native code the interval timer cannot interrupt: SIGXCPU kills the process."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    want = int(used.ru_utime + used.ru_stime + seconds * 1.5 + 10)
    resource.setrlimit(resource.RLIMIT_CPU, (want if hard == resource.RLIM_INFINITY else min(want, hard), hard))


def _rejected(job: Job, code: str, reason: str) -> PackedRecord:
    try:
        sha = file_sha256(Path(job.path))
    except OSError:
        sha = ""
    return PackedRecord(Record(source=job.source, sha256=sha, status="rejected", reason_code=code, reason=reason))


# ------------------------------------------------------------------------------------- process pool


def _process_pool(jobs: list[Job], workers: int, limits: Limits) -> list[PackedRecord]:
    """At most 2 × workers documents in flight, so a dead worker can only have been reading one of those."""
    results: list[PackedRecord | None] = [None] * len(jobs)
    todo = list(range(len(jobs)))[::-1]
    while todo:
        suspects: list[int] = []
        with ProcessPoolExecutor(max_workers=workers) as pool:
            running: dict[Future[PackedRecord], int] = {}
            try:
                while todo or running:
                    while todo and len(running) < 2 * workers:
                        i = todo.pop()
                        running[pool.submit(_guarded, jobs[i], limits)] = i
                    done, _ = wait(running, return_when=FIRST_COMPLETED)
                    for future in done:
                        results[running[future]] = future.result()
                        del running[future]
            except BrokenProcessPool:   # a worker died: whatever was in flight is suspect, the rest goes on
                suspects = sorted(running.values())
        for i in suspects:
            results[i] = _isolated(jobs[i], limits)
    return results  # type: ignore[return-value]


def _isolated(job: Job, limits: Limits) -> PackedRecord:
    """Read one document in a forked process of its own; if that process dies, the document is the reason.

    os.fork rather than multiprocessing: Dask's worker processes are daemonic, and multiprocessing refuses to
    start children from those."""
    receive, send = os.pipe()
    pid = os.fork()
    if pid == 0:   # the child: read, send the pickled record, leave without running the parent's cleanup
        code = 0
        try:
            os.close(receive)
            with os.fdopen(send, "wb") as out:
                out.write(pickle.dumps(_guarded(job, limits)))
        except BaseException:  # noqa: BLE001 — the parent reports a child that could not answer
            code = 1
        finally:
            os._exit(code)
    os.close(send)
    data, finished = _read_until(receive, limits.seconds * 2 + 30)
    if not finished:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if finished and data:
        try:
            return pickle.loads(data)
        except Exception:  # noqa: BLE001 — a torn answer: the child died while writing
            pass
    exit_signal = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    if not finished or exit_signal == signal.SIGXCPU:
        return _rejected(job, "too-slow", f"Reading the file took longer than the {limits.seconds:g}-second limit "
                                          "and its reader had to be stopped.")
    how = f"signal {signal.Signals(exit_signal).name}" if exit_signal else f"exit code {os.WEXITSTATUS(status)}"
    return _rejected(job, "reader-crashed", f"Reading the file crashed its reader process ({how}); "
                                            "the file may be damaged.")


def _read_until(fd: int, seconds: float) -> tuple[bytes, bool]:
    """Everything written to the pipe until the writer closes it, or what came before the deadline."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + seconds
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return b"".join(chunks), False
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b"".join(chunks), True
            chunks.append(chunk)
    finally:
        os.close(fd)


# --------------------------------------------------------------------------------------------- dask


def _dask(jobs: list[Job], scheduler: str, limits: Limits) -> list[PackedRecord]:
    """Ship each file's bytes to the cluster (workers need no shared disk); each is read in a child process
    of its worker, so the guards work there too (timers and rlimits need a process of their own)."""
    from dask.distributed import Client   # an optional dependency (the `dask` extra), needed only here

    with Client(scheduler) as client:
        payloads = [Shipped(Path(j.path).name, Path(j.path).read_bytes(), j.source) for j in jobs]
        keys = [f"nianbao-extract-{i}" for i in range(len(jobs))]
        futures = [client.submit(_dask_task, payload, limits, key=key, pure=False)
                   for payload, key in zip(payloads, keys)]
        return client.gather(futures)


@dataclass(frozen=True)
class Shipped:
    """A document sent to a Dask worker: its bytes travel, its path does not."""
    name: str          # the file name (a hint for the body and year)
    data: bytes
    source: str        # what the record calls it


def _dask_task(shipped: Shipped, limits: Limits) -> PackedRecord:
    with tempfile.TemporaryDirectory(prefix="nianbao-") as folder:
        path = Path(folder) / shipped.name
        path.write_bytes(shipped.data)
        return _isolated(Job(str(path), shipped.source), limits)
