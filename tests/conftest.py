"""Settings shared by the whole suite.

Property tests draw the same examples on every run (``derandomize``), so a run of
the suite on a clean clone (CI) passes or fails for the code, not for the draw;
a counterexample hypothesis once found is kept as an explicit example or xfail.
No per-example deadline: the suite runs on a loaded 2-core machine, and a slow
example is not a wrong one (speed is measured by bench/, not by tests).

To explore new examples while developing, run with ``TENKEN_HYPOTHESIS=explore``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "repeatable",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", deadline=None, print_blob=True)
_explore = os.environ.get("TENKEN_HYPOTHESIS") == "explore"
settings.load_profile("explore" if _explore else "repeatable")
