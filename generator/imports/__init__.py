"""`kaohe import framework`: a framework read from the tables of a Word document or workbook.

Stages, one module each: ``docx`` and ``xlsx`` read a file into neutral blocks (``source``:
paragraphs and grids of cells that remember their merges); ``layout`` finds each table's header,
its columns' roles (序号, 目标内容, 考核标准, 分值, 完成月份 …) and groups printed rows into
indicators; ``clauses`` proposes rules from the wording of each 考核标准; ``writer`` turns the
result into TOML files that ``kaohe check`` accepts.
"""
