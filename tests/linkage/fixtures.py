# ruff: noqa: E501  (a data table: one case per line reads best)
"""Small hand-written registry and records covering every verdict and the known traps.

Run ``python -m tests.linkage.fixtures DIR`` to write the files for manual exploring.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from tenken.linkage.columns import RECORD_COLUMNS, REGISTRY_COLUMNS
from tenken.normalize.mynumber import check_digit


def number(i: int) -> str:
    """A valid My Number for person ``i``."""
    first = f"{10**10 + i * 7919:011d}"
    return first + check_digit(first)


def typo(value: str) -> str:
    """``value`` with its 5th digit changed (check digit then fails)."""
    return value[:4] + str((int(value[4]) + 1) % 10) + value[5:]


A = "東京都千代田区千代田1丁目1番1号"
A_VARIANT = "東京都千代田区千代田１－１－１"
B = "大阪府大阪市北区梅田2丁目3番4号"
HOME = "北海道札幌市中央区北一条西3丁目2番1号"
ELSEWHERE = "福岡県福岡市博多区博多駅前4丁目5番6号"

# 個人番号, 氏名, 氏名カナ, 生年月日, 性別, 住所, 有効開始日, 有効終了日
REGISTRY = [
    (number(1), "山田　太郎", "", "1980-01-02", "1", A, "2015-10-05", "2020-03-31"),
    (number(1), "山田　太郎", "", "1980-01-02", "1", B, "2020-04-01", ""),
    (number(2), "鈴木　花子", "", "1985-03-03", "2", ELSEWHERE, "2015-10-05", "2019-05-31"),
    (number(2), "佐藤　花子", "", "1985-03-03", "2", HOME, "2019-06-01", ""),
    (number(3), "髙橋　一郎", "", "1975-05-05", "1", "宮城県仙台市青葉区一番町1丁目2番3号", "2015-10-05", ""),
    (number(4), "田中　誠", "", "1970-07-07", "1", "愛知県名古屋市中区栄1丁目1番1号", "2015-10-05", ""),
    (number(5), "田中　誠", "", "1970-07-07", "1", "広島県広島市中区大手町1丁目1番1号", "2015-10-05", ""),
    (number(6), "中村　健", "", "1950-01-01", "1", HOME.replace("3丁目", "5丁目"), "2015-10-05", ""),
    (number(7), "中村　翔", "", "1980-02-02", "1", HOME.replace("3丁目", "5丁目"), "2015-10-05", ""),
    (number(8), "渡辺　\ue001子", "", "1960-03-03", "2", "京都府京都市中京区1丁目1番1号", "2015-10-05", ""),
    (number(9), "小林　陽子", "コバヤシ　ヨウコ", "1990-04-04", "2", "兵庫県神戸市中央区1丁目1番1号", "2015-10-05", ""),
    (number(10), "伊藤　次郎", "", "1985-08-08", "1", "静岡県静岡市葵区1丁目1番1号", "2015-10-05", "2018-12-31"),
    (number(10), "伊藤　次郎", "", "1985-08-08", "1", "静岡県浜松市中央区1丁目1番1号", "2019-01-01", ""),
    (number(11), "加藤　美咲", "", "2000-10-10", "2", "新潟県新潟市中央区1丁目1番1号", "2015-10-05", ""),
    (number(12), "吉田　勇", "", "1960-06-06", "1", "岡山県岡山市北区1丁目1番1号", "2015-10-05", ""),
    (number(13), "吉田　勇", "", "1960-06-06", "1", "岡山県岡山市北区1丁目1番1号", "2015-10-05", ""),
    (number(14), "山本　明", "ヤマモト　アキラ", "1970-01-01", "1", "熊本県熊本市中央区1丁目1番1号", "2015-10-05", ""),
    (number(15), "松本　剛", "", "1966-06-06", "1", "長野県長野市1丁目1番1号", "2015-10-05", ""),
    (number(16), "井上　真", "", "1977-07-07", "1", "香川県高松市1丁目1番1号", "2015-10-05", ""),
    (number(17), "木村　拓", "", "1981-01-01", "1", "石川県金沢市1丁目1番1号", "2015-10-05", ""),
    (number(18), "林　聡", "", "1982-02-02", "1", "富山県富山市1丁目1番1号", "2015-10-05", ""),
]  # fmt: skip

# 制度固有番号, 氏名, 氏名カナ, 生年月日, 性別, 住所, 個人番号, 紐付け日 -> expected verdict, reasons
RECORDS = [
    (("R01", "山田 太郎", "ヤマダ タロウ", "1980/1/2", "男", A_VARIANT, number(1), "2019-01-01"), "confirmed", {"history_used"}),
    (("R02", "山田太郎", "", "昭和55年1月2日", "1", B, number(1), "2021-01-01"), "confirmed", set()),
    (("R03", "鈴木 花子", "スズキ ハナコ", "1985-03-03", "2", ELSEWHERE, number(2), "2018-01-01"), "confirmed", {"history_used"}),
    (("R04", "高橋 一郎", "", "1975-05-05", "1", "宮城県仙台市青葉区一番町１－２－３", number(3), "2020-01-01"), "confirmed", set()),
    (("R05", "田中 誠", "", "1970-07-07", "1", "愛知県名古屋市中区栄1-1-1", number(5), "2020-01-01"), "suspected_mislink", {"address_differs", "other_person_matches", "same_name_birth_elsewhere"}),
    (("R06", "中村 翔", "", "1980-02-02", "1", HOME.replace("3丁目", "5丁目"), number(6), "2020-01-01"), "suspected_mislink", {"name_differs", "birth_differs", "other_person_matches", "family_at_same_address"}),
    (("R07", "渡辺 〓子", "", "1960-03-03", "2", "京都府京都市中京区1丁目1番1号", number(8), "2020-01-01"), "review", {"name_unverifiable"}),
    (("R08", "小林 陽子", "コバヤシ ヨウイチ", "1990-04-04", "2", "兵庫県神戸市中央区1丁目1番1号", number(9), "2020-01-01"), "confirmed", {"kana_differs"}),
    (("R09", "伊藤 次郎", "", "1985-08-08", "1", "静岡県静岡市葵区1丁目1番1号", number(10), "2022-01-01"), "review", {"address_differs", "matches_state_before_link"}),
    (("R10", "加藤 美咲", "", "2000-10-10", "2", "新潟県新潟市中央区1丁目1番1号", "", ""), "unlinked_match", set()),
    (("R11", "吉田 勇", "", "1960-06-06", "1", "岡山県岡山市北区1丁目1番1号", "", ""), "unlinked_ambiguous", set()),
    (("R12", "山本 明", "", "1970-01-01", "1", "熊本県熊本市東区9丁目9番9号", "", ""), "unlinked_none", {"partial_candidates_only"}),
    (("R13", "山元 明", "ヤマモト アキラ", "1970-01-01", "1", "熊本県熊本市中央区1丁目1番1号", "", ""), "unlinked_none", set()),
    (("R14", "松本 剛", "", "1966-06-06", "1", "長野県長野市9丁目9番9号", number(15), "2020-01-01"), "review", {"address_differs"}),
    (("R15", "井上 真", "", "1977-07-08", "1", "香川県高松市1丁目1番1号", number(16), "2020-01-01"), "suspected_mislink", {"birth_differs"}),
    (("R16", "木村 拓", "", "1981-01-01", "1", "石川県金沢市1丁目1番1号", number(17), "2020-01-01"), "confirmed", {"shared_number"}),
    (("R17", "林 聡", "", "1982-02-02", "1", "富山県富山市1丁目1番1号", number(17), "2020-01-01"), "suspected_mislink", {"shared_number", "other_person_matches"}),
    (("R18", "髙橋 一郎", "", "1975-05-05", "1", "宮城県仙台市青葉区一番町1-2-3", typo(number(3)), "2020-01-01"), "invalid_number", {"check_digit", "one_digit_off"}),
    (("R19", "林 聡", "", "1982-02-02", "1", "富山県富山市1丁目1番1号", number(99), "2020-01-01"), "not_in_registry", {"number_not_found"}),
    (("R20", "林 聡", "", "1982-02-02", "1", "富山県富山市1丁目1番1号", "12345", "2020-01-01"), "invalid_number", {"number_format"}),
]  # fmt: skip


def write_csv(
    path: Path, header: list[str], rows: list[tuple[str, ...]], encoding: str = "utf-8"
) -> Path:
    """Write rows under a header, as a spreadsheet export would."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def multiline_then_bad_date() -> bytes:
    """Records CSV with a blank line and a quoted field over two lines before a bad date:
    header 1, rows 2-3, blank 4, row 5-6 (two lines), rows 7, 8, the bad row on line 9.
    pyarrow skips empty lines, so a reader counting records would say line 7."""
    header = [c.header for c in RECORD_COLUMNS]
    lines = [",".join(header)]
    for k, (row, _, _) in enumerate(RECORDS[:6]):
        values = list(row)
        if k == 2:
            values[header.index("住所")] = '"東京都\n千代田区"'
        if k == 5:
            values[header.index("生年月日")] = "1980-13-45"
        lines.append(",".join(values))
        if k == 1:
            lines.append("")
    return ("\n".join(lines) + "\n").encode("utf-8")


def write(folder: Path) -> tuple[Path, Path]:
    """Write registry.csv and records.csv into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    registry = write_csv(folder / "registry.csv", [c.header for c in REGISTRY_COLUMNS], REGISTRY)
    records = write_csv(
        folder / "records.csv", [c.header for c in RECORD_COLUMNS], [r for r, _, _ in RECORDS]
    )
    return registry, records


if __name__ == "__main__":
    print(*write(Path(sys.argv[1])))
