"""Run ``tenken serve`` in a subprocess on a free localhost port (shared by serve and E2E tests)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def site_env(workspace: Path, pass_env: tuple[str, ...] = (), **extra: str) -> dict[str, str]:
    """Environment for a local site with its own workspace (SQLite by default).

    TENKEN_HTTPS is left unset: `tenken serve` on 127.0.0.1 defaults to plain HTTP itself.
    """
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith("TENKEN_") or k in pass_env
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.update({"TENKEN_WORKSPACE": str(workspace), **extra})
    return environment


@contextmanager
def running_site(
    workspace: Path, *options: str, timeout: float = 30.0, pass_env: tuple[str, ...] = ()
) -> Iterator[str]:
    """Start ``tenken serve`` and yield its base URL once it answers; stop it afterwards."""
    port = free_port()
    tenken = Path(sys.executable).parent / "tenken"
    command = [str(tenken), "serve", "--port", str(port), *options]
    log = (workspace / "serve.log").open("w")
    process = subprocess.Popen(
        command, env=site_env(workspace, pass_env), stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{base}/login/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((workspace / "serve.log").read_text()) from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
