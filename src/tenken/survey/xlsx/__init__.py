"""Excel answer sheets (別添2): write one per respondent, read a filled one back.

* :mod:`.layout` — every cell position and formula, computed from the questionnaire;
* :mod:`.formulas` — questionnaire expressions translated into Excel formulas;
* :mod:`.writer` — the sheet with openpyxl; :mod:`.reader` — safety checks and reading back.
"""
