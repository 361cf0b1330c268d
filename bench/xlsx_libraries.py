"""Write the same workbook with XlsxWriter and with openpyxl: why kaohe export uses XlsxWriter.

150 worksheets (the reference repository's units) of 120 rows (its indicators) and 8 columns:
wrapped Chinese text, numbers with a number format, borders, a row height per row, and the print
set-up of a score sheet (A4 landscape, fit to width, repeated header row, page header and footer).
Prints the CPU seconds of each library (median of three), in this process, one after the other.

    .venv/bin/python bench/xlsx_libraries.py
"""

from __future__ import annotations

import io
import statistics
import time

SHEETS, ROWS = 150, 120
TEXT = "认真贯彻落实上级年度党风廉政建设工作会议精神,对单位年度党风廉政建设工作有部署,有半年和年度工作情况报告。"
STANDARD = "查贯彻会议情况报告、半年和全年工作情况报告,3项缺1项扣0.1分。"


def with_xlsxwriter() -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    text = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    number = book.add_format({"border": 1, "num_format": "0.00", "valign": "top"})
    for s in range(SHEETS):
        sheet = book.add_worksheet(f"单位{s}")
        sheet.set_column(1, 2, 44)
        for r in range(ROWS):
            sheet.set_row(r, 46)
            sheet.write_string(r, 0, str(r + 1), text)
            sheet.write_string(r, 1, TEXT, text)
            sheet.write_string(r, 2, STANDARD, text)
            for c in range(3, 7):
                sheet.write_number(r, c, 0.3 * c, number)
            sheet.write_string(r, 7, "缺半年工作情况报告（−0.1）", text)
        sheet.set_landscape()
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(0)
        sheet.set_header(f"&C单位{s}　2010年度考核评分表")
        sheet.set_footer("&C第 &P 页 / 共 &N 页")
    book.close()
    return buffer.getvalue()


def with_openpyxl() -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Border, Side

    book = openpyxl.Workbook()
    book.remove(book.active)
    side = Side(style="thin")
    border = Border(left=side, right=side, top=side, bottom=side)
    wrap = Alignment(wrap_text=True, vertical="top")
    for s in range(SHEETS):
        sheet = book.create_sheet(f"单位{s}")
        sheet.column_dimensions["B"].width = sheet.column_dimensions["C"].width = 44
        for r in range(1, ROWS + 1):
            sheet.row_dimensions[r].height = 46
            values = [str(r), TEXT, STANDARD, 0.9, 1.2, 1.5, 1.8, "缺半年工作情况报告（−0.1）"]
            for c, value in enumerate(values, start=1):
                cell = sheet.cell(r, c, value)
                cell.border = border
                cell.alignment = wrap
                if isinstance(value, float):
                    cell.number_format = "0.00"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = 9
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = "1:1"
        sheet.oddHeader.center.text = f"单位{s}　2010年度考核评分表"
        sheet.oddFooter.center.text = "第 &P 页 / 共 &N 页"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    for name, write in (("XlsxWriter", with_xlsxwriter), ("openpyxl", with_openpyxl)):
        times = []
        for _ in range(3):
            started = time.process_time()
            size = len(write())
            times.append(time.process_time() - started)
        print(
            f"{name:<10} median {statistics.median(times):.2f} s CPU "
            f"({min(times):.2f}–{max(times):.2f}), {size:,} bytes"
        )


if __name__ == "__main__":
    main()
