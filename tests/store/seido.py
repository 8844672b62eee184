"""A pack whose 制度等 list has two 制度: the bundled questionnaire, report settings and risk
rules, with a second 制度 added to the list the ministry fills (as a ministry that surveys two
of its systems with one questionnaire would)."""

from __future__ import annotations

from pathlib import Path

from tenken.survey.pack import Pack, resolve_pack

BUNDLED = Path(__file__).resolve().parents[2] / "src/tenken/survey/questionnaires"
PACK_ID = "mhlw-2023-shokugyo-tenkan"
A = "職業転換給付金制度（訓練手当）"
B = "職業転換給付金制度（広域求職活動費）"
LINE = f"    - {{name: {A}, label: {A}}}\n"


def write_pack(folder: Path) -> Path:
    """The two-制度 pack as a folder (questionnaire.yaml and the bundled pack's other parts:
    report.yaml, risk.yaml, sample.yaml, caution.yaml)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (BUNDLED / f"{PACK_ID}.yaml").read_text("utf-8")
    assert LINE in text
    text = text.replace(LINE, LINE + f"    - {{name: {B}, label: {B}}}\n")
    (folder / "questionnaire.yaml").write_text(text, "utf-8")
    for part in ("report", "risk", "sample", "caution"):
        source = (BUNDLED / f"{PACK_ID}.{part}.yaml").read_text("utf-8")
        (folder / f"{part}.yaml").write_text(source, "utf-8")
    return folder


def two_seido_pack(folder: Path) -> Pack:
    return resolve_pack(str(write_pack(folder)))
