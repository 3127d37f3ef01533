"""A minimal .xlsx writer for generated workbooks (inline strings, no styles).

The synthetic demo writes the one workbook a loader needs (Working Futures) in its published
layout; a full spreadsheet library is not worth a dependency for that.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

__all__ = ["Sheet", "write_xlsx"]

#: a sheet as ``{(row, column): value}``, both 0-based
Sheet = Mapping[tuple[int, int], str | float | int]

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _sheet_xml(sheet: Sheet) -> str:
    rows: dict[int, list[str]] = {}
    for (r, c), value in sorted(sheet.items()):
        ref = f"{_column(c)}{r + 1}"
        if isinstance(value, str):
            cell = f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
        else:
            cell = f'<c r="{ref}"><v>{value!r}</v></c>'
        rows.setdefault(r, []).append(cell)
    body = "".join(f'<row r="{r + 1}">{"".join(cells)}</row>' for r, cells in rows.items())
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{_MAIN}">'
        f"<sheetData>{body}</sheetData></worksheet>"
    )


def write_xlsx(path: Path, sheets: Mapping[str, Sheet]) -> Path:
    """Write ``sheets`` (name → cells) as an .xlsx workbook at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    names = list(sheets)
    numbered = list(enumerate(names, start=1))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:

        def write(name: str, text: str) -> None:
            """Each part with a fixed date, so the same sheets give the same bytes."""
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)

        write(
            "[Content_Types].xml",
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_PACKAGE}/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                f'ContentType="{_OFFICE}.worksheet+xml"/>'
                for i, _ in numbered
            )
            + "</Types>",
        )
        write(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PACKAGE}/'
            f'relationships"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        write(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
            "<sheets>"
            + "".join(
                f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
                for i, name in numbered
            )
            + "</sheets></workbook>",
        )
        write(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PACKAGE}/'
            'relationships">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" '
                f'Target="worksheets/sheet{i}.xml"/>'
                for i, _ in numbered
            )
            + "</Relationships>",
        )
        for i, name in numbered:
            write(f"xl/worksheets/sheet{i}.xml", _sheet_xml(sheets[name]))
    return path
