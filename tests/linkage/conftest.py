"""The engines every parametrized engine test runs on, and one Spark session for all of them.

``engine_name`` is session-scoped, so pytest runs every DuckDB case first and then every Spark
case in one session (started by the first Spark case, stopped after the last): the JVM starts
once for the whole suite.
"""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator

import pytest

from tenken.linkage.engine import Engine, make_engine

HAS_SPARK = importlib.util.find_spec("pyspark") is not None and shutil.which("java") is not None
ENGINE_NAMES = [
    "duckdb",
    pytest.param(
        "spark",
        marks=[
            pytest.mark.spark,
            pytest.mark.skipif(not HAS_SPARK, reason="pyspark or Java 17 missing"),
        ],
    ),
]


@pytest.fixture(scope="session", params=ENGINE_NAMES)
def engine_name(request: pytest.FixtureRequest) -> Iterator[str]:
    name: str = request.param
    yield name
    if name == "spark":
        from pyspark.sql import SparkSession

        session = SparkSession.getActiveSession()
        if session is not None:
            session.stop()


@pytest.fixture
def engine(engine_name: str) -> Iterator[Engine]:
    """A started engine of each kind (Spark: a view namespace in the one session)."""
    started = make_engine(engine_name)
    yield started
    started.close()
