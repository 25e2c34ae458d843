#!/usr/bin/env python3
"""Writes vendors-excel-sjis.csv as Excel on Japanese Windows saves a sheet with "CSV (カンマ区切り)":
code page 932 (Shift_JIS with Microsoft's extensions), CRLF line ends, no byte-order mark, cells quoted
only when they hold a comma, a quote or a line break, dates as the sheet shows them (yyyy/m/d), and the
words the legal team typed (Japanese headers and labels, `Medium`, `TRUE`). The first column's header
is the team's own (取引先コード), so the import needs --columns "取引先コード=key".
Run: python3 Tests/Fixtures/sheets/make-excel-csv.py (the output is committed)."""
import csv
import pathlib

header = ["取引先コード", "ベンダー名", "名称（日本語）", "別名", "種別", "本社所在国", "契約相手の所在国", "ウェブサイト",
          "トラストセンターURL", "プライバシーポリシーURL", "DPAのURL", "再委託先一覧URL", "認証", "リスク区分", "担当者",
          "備考", "開始日", "終了日"]
rows = [
    ["sakura-jp", "さくらインターネット株式会社", "さくらインターネット", "さくら;SAKURA", "クラウド事業者;委託先", "jp", "",
     "https://www.sakura.ad.jp/", "", "", "", "", "ISO27001;Pmark", "中", "法務部　山田", "石狩DC、東京DC（①②を確認済み）",
     "2024/1/1", ""],
    ["mailer-kk", "Mailer K.K.", "メーラー株式会社", "", "Entrustee", "JP", "", "", "", "", "", "", "", "Medium", "",
     "契約書は\"共有フォルダ\"にあり, 原本は金庫", "2024/04/01", ""],
    ["kaigai-ads", "Kaigai Ads Inc.", "", "", "外部送信先", "US", "", "", "", "", "", "", "", "高", "", "", "2023/12/5",
     "2026/3/31"],
]
path = pathlib.Path(__file__).with_name("vendors-excel-sjis.csv")
with open(path, "w", encoding="cp932", newline="") as handle:
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
