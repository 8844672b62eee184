"""Spark out of memory: the run stops with a message saying which setting to raise, instead of
waiting forever for a job whose scheduler thread died (seen at 1M people with Spark's default
1g driver). Runs in a child process: the JVM it starts is meant to die."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.linkage.conftest import HAS_SPARK

pytestmark = [pytest.mark.spark, pytest.mark.skipif(not HAS_SPARK, reason="pyspark or Java 17")]

CHILD = """
import sys
from tenken.errors import TenkenError
from tenken.linkage.spark import SparkEngine
engine = SparkEngine()
try:  # about 3 GB of strings in one aggregate, in a 600 MB heap
    engine.arrow("SELECT size(collect_list(repeat('x', 100000))) AS n FROM range(30000)")
except TenkenError as error:
    engine.close()  # must not replace the error that stopped the run (the JVM is gone)
    print(error.code, error, sep="\\n")
    sys.exit(2)
print("finished")
"""


def test_out_of_memory_stops_with_the_setting_to_raise() -> None:
    env = {**os.environ, "TENKEN_SPARK_DRIVER_MEMORY": "600m"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 2, done.stdout + done.stderr[-2000:]
    code, message = done.stdout.strip().splitlines()[-2:]
    assert code == "E-SPARK-STOPPED"
    assert "メモリ不足" in message and "TENKEN_SPARK_DRIVER_MEMORY" in message and "600m" in message
    assert "java.lang" not in message and "py4j" not in message.lower()


def test_local_driver_memory_follows_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from tenken.linkage.engine import memory_limit
    from tenken.linkage.spark import driver_memory

    monkeypatch.setenv("TENKEN_SPARK_DRIVER_MEMORY", "8g")
    assert driver_memory() == "8g"
    monkeypatch.delenv("TENKEN_SPARK_DRIVER_MEMORY")
    assert driver_memory() == f"{memory_limit() >> 20}m"


def test_a_driver_memory_spark_cannot_read_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tenken.errors import InputError
    from tenken.linkage.spark import SparkEngine

    monkeypatch.setenv("TENKEN_SPARK_DRIVER_MEMORY", "8GB")
    with pytest.raises(InputError, match=r"TENKEN_SPARK_DRIVER_MEMORY.*8GB"):
        SparkEngine()
