"""Where the archive's stages run: in this process, or as Ray tasks.

A stage is a plain function applied to a list of batches (``Engine.map``); results come
back in the order of the batches, so both engines produce the same archive. The batches
are cut the same way for both (:data:`BATCH_FILES` files to split, :data:`BATCH_TEXTS`
texts to embed, :data:`BATCH_QUERIES` units to search), which also keeps the embedding
model's padding, and so its vectors, identical.

Ray is imported only when ``--engine ray`` is asked for; it is never needed on one machine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")

BATCH_FILES = 16
BATCH_TEXTS = 512
BATCH_QUERIES = 2048
RAY_HINT = "pip install 'redline[ray]'"


class EngineError(Exception):
    """The engine cannot start (Ray missing, its cluster unreachable)."""


class Engine(Protocol):
    name: str

    def map(self, function: Callable[..., R], batches: Sequence[Any], *shared: Any) -> list[R]:
        """``[function(batch, *shared) for batch in batches]``, in order."""
        ...

    def close(self) -> None: ...


class LocalEngine:
    name = "local"

    def map(self, function: Callable[..., R], batches: Sequence[Any], *shared: Any) -> list[R]:
        return [function(batch, *shared) for batch in batches]

    def close(self) -> None:
        pass


class RayEngine:
    """Each batch is one Ray task; shared arguments are put in the object store once.

    ``address`` None starts a local Ray on ``num_cpus`` CPUs; "auto" or "ray://host:port"
    joins a running cluster. Workers import redline from the same environment as this
    process (on a cluster: the same package installed on every node).
    """

    name = "ray"

    def __init__(self, address: str | None = None, num_cpus: int | None = None) -> None:
        try:
            import ray
        except ImportError:
            raise EngineError(f"--engine ray needs Ray ({RAY_HINT})") from None
        self._ray = ray
        self._started = False
        if not ray.is_initialized():
            try:
                if address:
                    ray.init(address=address, logging_level=logging.ERROR, log_to_driver=False)
                else:
                    ray.init(
                        num_cpus=num_cpus,
                        include_dashboard=False,
                        logging_level=logging.ERROR,
                        log_to_driver=False,
                    )
            except (ConnectionError, RuntimeError, ValueError) as error:
                raise EngineError(f"cannot start or join Ray at {address or 'local'}: {error}") from None
            self._started = True

    def map(self, function: Callable[..., R], batches: Sequence[Any], *shared: Any) -> list[R]:
        if not batches:
            return []
        remote = self._ray.remote(function)
        refs = [self._ray.put(value) for value in shared]
        results: list[R] = self._ray.get([remote.remote(batch, *refs) for batch in batches])
        return results

    def close(self) -> None:
        if self._started:
            self._ray.shutdown()
            self._started = False


def engine(name: str, address: str | None = None, num_cpus: int | None = None) -> Engine:
    if name == "local":
        if address:
            raise EngineError("--address is for --engine ray")
        return LocalEngine()
    if name == "ray":
        return RayEngine(address, num_cpus)
    raise EngineError(f"unknown engine {name!r} (known: local, ray)")


def batched(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
