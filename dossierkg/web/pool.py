"""A small pool of worker processes, each holding the store open read-only, with a time limit per job.

Why processes: an Oxigraph query cannot be interrupted from Python. Iterating the results lazily and
stopping at a deadline does not bound the time either, because one step of the iterator can do all the
work (a FILTER that rejects every row of a cross product, an ORDER BY, an aggregate) before it yields. A
thread running such a query would keep its core busy after the client was told it timed out. A process can
be killed: when a job passes its deadline the server kills that worker (SIGKILL), answers the client with
503 and a message, and starts a fresh worker in its place. Other clients' queries run meanwhile on the
other workers, and the event loop never waits on a query (the pipe is read in a thread).

The deadline covers the whole request: waiting for a free worker and running the query. Workers are
started with the "spawn" method from the server's main thread (see worker.py on PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing as mp
import time
from concurrent.futures import ThreadPoolExecutor

from .worker import Config, main

log = logging.getLogger("kg.serve")


class TimeLimit(Exception):
    """A job passed its deadline (waiting for a worker or running)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class WorkerFailed(Exception):
    """A worker could not be started or died while running a job."""


class _Proc:
    def __init__(self, ctx, config: Config):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=main, args=(child, config), daemon=True, name="kg-serve-worker")
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> None:
        if not self.conn.poll(timeout):
            self.kill()
            raise WorkerFailed("a query worker did not start in time")
        try:
            reply = self.conn.recv()
        except (EOFError, OSError):
            reply = {"ok": False, "message": "a query worker exited while starting"}
        if not reply.get("ok"):
            self.kill()
            raise WorkerFailed(reply.get("message", "a query worker could not start"))

    def call(self, job: dict, timeout: float) -> dict | None:
        """The worker's reply, or None when the deadline passed (the caller then kills the worker)."""
        try:
            self.conn.send(job)
            if not self.conn.poll(max(0.0, timeout)):
                return None
            return self.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            raise WorkerFailed("the query worker stopped unexpectedly") from None

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class Pool:
    def __init__(self, config: Config, size: int):
        self.config, self.size = config, size
        self.ctx = mp.get_context("spawn")
        self.idle: asyncio.Queue[_Proc] | None = None
        self.threads = ThreadPoolExecutor(max_workers=size + 2, thread_name_prefix="kg-serve-pipe")
        self.procs: set[_Proc] = set()
        self.closed = False
        self.killed = 0

    async def start(self) -> None:
        """Start every worker (in parallel) and wait until each has opened the store."""
        self.idle = asyncio.Queue()
        procs = [_Proc(self.ctx, self.config) for _ in range(self.size)]
        self.procs.update(procs)
        loop = asyncio.get_running_loop()
        try:
            await asyncio.gather(*(loop.run_in_executor(self.threads, p.wait_ready, 60.0) for p in procs))
        except WorkerFailed:
            self.close()
            raise
        for p in procs:
            self.idle.put_nowait(p)

    async def _replace(self, old: _Proc) -> None:
        """Kill `old` and put a fresh worker in the pool (started from the event loop's thread)."""
        self.procs.discard(old)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self.threads, old.kill)
        if self.closed:
            return
        fresh = _Proc(self.ctx, self.config)
        self.procs.add(fresh)
        try:
            await loop.run_in_executor(self.threads, fresh.wait_ready, 60.0)
        except WorkerFailed as exc:
            log.error("kg serve: %s; retrying", exc)
            self.procs.discard(fresh)
            await asyncio.sleep(1.0)
            asyncio.get_running_loop().create_task(self._replace(fresh))
            return
        self.idle.put_nowait(fresh)

    async def run(self, job: dict, timeout: float) -> dict:
        """Run `job` on a free worker within `timeout` seconds (TimeLimit otherwise)."""
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + timeout
        try:
            proc = await asyncio.wait_for(self.idle.get(), timeout)
        except (asyncio.TimeoutError, TimeoutError):
            raise TimeLimit(f"the server is busy: no query worker became free within the {timeout:g} s time "
                            "limit; try again later") from None
        try:
            reply = await loop.run_in_executor(self.threads, proc.call, job, deadline - time.monotonic())
        except WorkerFailed:
            loop.create_task(self._replace(proc))
            raise
        except BaseException:  # the request was cancelled (client gone) while the worker runs: replace it
            loop.create_task(self._replace(proc))
            raise
        if reply is None:
            self.killed += 1
            loop.create_task(self._replace(proc))
            raise TimeLimit(f"the query ran longer than the {timeout:g} s time limit and was stopped")
        self.idle.put_nowait(proc)
        return reply

    def close(self) -> None:
        self.closed = True
        for p in list(self.procs):
            try:
                p.kill()
            except Exception:  # already gone
                pass
        self.procs.clear()
        self.threads.shutdown(wait=False, cancel_futures=True)
