"""Reports over many answers: the figures (:mod:`.model`) and their renderings.

``write_report(data, out_dir)`` writes ``report.xlsx``, ``report.html``, the CSV exports and,
when asked, ``report.json`` into ``out_dir`` atomically (see :mod:`.write`).
"""

from tenken.survey.report.model import OrgRow, ReportData, build_pack_report, build_report
from tenken.survey.report.write import write_report

__all__ = ["OrgRow", "ReportData", "build_pack_report", "build_report", "write_report"]
