"""Legacy Office files and spreadsheets: LibreOffice converts, then the DOCX reader or openpyxl reads.

- `.doc`, `.wps` (Kingsoft Writer), `.rtf` → `.docx` with LibreOffice headless → `read.docx`; a file named
  `.docx` is first looked at (`read_docx`): a legacy Word file, RTF or workbook under that name goes its own way.
- `.xls`, `.et` (Kingsoft Spreadsheets) → `.xlsx` with LibreOffice → openpyxl; `.xlsx` is read directly. Each
  sheet becomes one grid table: merged ranges are cells with spans, values are the text Excel displays.
  (Spreadsheets are never converted to PDF: Calc splits wide sheets by columns.)

`convert` runs one LibreOffice process per call with its own user profile (parallel calls do not clash over
a shared profile lock), in its own process group (a timeout kills LibreOffice and its helpers), writing into
a folder of its own (`--convert-to` overwrites outputs with the same base name). Profiles are kept in a pool
for the life of the process: a fresh profile costs about a second on each call.
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from nianbao.model.document import Document, GridCell, Table, Where
from nianbao.model.words import Reader
from nianbao.read import docx, sniff
from nianbao.read.errors import Unreadable
from nianbao.read.ooxml import open_package, why

LEGACY_WORD = (".doc", ".wps", ".rtf")
SPREADSHEETS = (".xls", ".et", ".xlsx")
_NAMES = {".doc": "Word 97-2003", ".wps": "WPS Writer", ".rtf": "RTF", ".xls": "Excel 97-2003",
          ".et": "WPS Spreadsheets", ".xlsx": "Excel"}
MAX_SHEET_CELLS = 200_000


# --- LibreOffice ----------------------------------------------------------------------------------------

def soffice() -> str | None:
    """The LibreOffice executable on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


class _Profiles:
    """LibreOffice user profiles, one per concurrent call, reused across calls (removed at exit)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._free: list[Path] = []
        self._root: Path | None = None

    def take(self) -> Path:
        with self._lock:
            if self._free:
                return self._free.pop()
            if self._root is None:
                self._root = Path(tempfile.mkdtemp(prefix="nianbao-lo-profiles-"))
                atexit.register(shutil.rmtree, self._root, True)
            return Path(tempfile.mkdtemp(prefix="p", dir=self._root))

    def give_back(self, profile: Path, healthy: bool) -> None:
        if not healthy:
            shutil.rmtree(profile, ignore_errors=True)    # a killed run may leave a profile locked or broken
            return
        with self._lock:
            self._free.append(profile)


_PROFILES = _Profiles()


def convert(path: Path, target_ext: str, timeout: float = 120, outdir: Path | None = None,
            as_suffix: str | None = None) -> Path:
    """Convert `path` to `target_ext` ("docx", ".xlsx", "pdf", "doc", …) with LibreOffice headless.

    The result is `<outdir>/<path stem>.<ext>`; without `outdir` a fresh temporary folder is made, which the
    caller owns. `as_suffix` names the input's real type when its own suffix lies (a .doc named .docx).
    Raises `Unreadable` ("converter-missing", "conversion-failed").
    """
    path = Path(path)
    ext = target_ext.lower().lstrip(".")
    exe = soffice()
    if exe is None:
        raise Unreadable("converter-missing",
                         f"LibreOffice is needed to read {path.suffix.lower() or 'these'} files and is not installed.")
    if outdir is None:
        made = Path(tempfile.mkdtemp(prefix="nianbao-converted-"))
        try:
            return convert(path, target_ext, timeout, made, as_suffix)
        except BaseException:
            shutil.rmtree(made, ignore_errors=True)
            raise
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nianbao-lo-") as work:
        # A plain ASCII copy: file names with spaces, dashes or CJK never reach the command line.
        source = Path(work) / "in" / f"source{(as_suffix or path.suffix).lower()}"
        source.parent.mkdir()
        shutil.copyfile(path, source)
        out = Path(work) / "out"
        profile = _PROFILES.take()
        command = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--norestore",
                   "--nologo", "--nodefault", "--nolockcheck", "--convert-to", ext, "--outdir", str(out), str(source)]
        env = {**os.environ, "HOME": work, "SAL_USE_VCLPLUGIN": "svp"}
        healthy = False
        try:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, start_new_session=True, env=env, cwd=work)
        except OSError as exc:
            _PROFILES.give_back(profile, False)
            raise Unreadable("converter-missing", f"LibreOffice could not be started ({exc.strerror}).") from None
        try:
            _, err = process.communicate(timeout=timeout)
            healthy = process.returncode == 0
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise Unreadable("conversion-failed",
                             f"LibreOffice did not finish converting the file within {timeout:g} seconds.") from None
        finally:
            if process.poll() is None:
                _kill_group(process)
            _PROFILES.give_back(profile, healthy)
        produced = out / f"source.{ext}"
        if not produced.is_file() or produced.stat().st_size == 0:
            detail = _first_error(err)
            what = _NAMES.get((as_suffix or path.suffix).lower(), path.suffix)
            raise Unreadable("conversion-failed",
                             f"LibreOffice could not convert the {what} file "
                             f"to .{ext}{f' ({detail})' if detail else ''}; it may be damaged or of another type.")
        result = outdir / f"{path.stem}.{ext}"
        shutil.move(str(produced), result)
    return result


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def _first_error(stderr: bytes | None) -> str:
    for line in (stderr or b"").decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line.lower().startswith("error"):
            return line[:160].rstrip(".")
    return ""


# --- Word, by what the bytes are -------------------------------------------------------------------------

def read_docx(path: Path) -> Document:
    """A file named .docx: a DOCX package, or a legacy Word file, RTF or Excel workbook saved under that name."""
    head = sniff.head(path, 512)
    if sniff.is_ole(head):
        if sniff.encrypted_ooxml(path):
            raise Unreadable("encrypted-docx", "The Word document is protected by a password.")
        return read_legacy_word(path, note=f"the file is a legacy Word document named {path.suffix}",
                                as_suffix=".doc")
    if sniff.is_rtf(head):
        return read_legacy_word(path, note=f"the file is RTF named {path.suffix}", as_suffix=".rtf")
    return _read_package(path)


def _read_package(path: Path) -> Document:
    """A zip package under a Word name: the DOCX reader, or the spreadsheet reader for an Excel workbook."""
    return read_spreadsheet(path) if docx.is_workbook(path) else docx.read(path)


# --- legacy Word ----------------------------------------------------------------------------------------

def read_legacy_word(path: Path, note: str | None = None, as_suffix: str | None = None) -> Document:
    """A .doc, .wps or .rtf file, converted to .docx by LibreOffice and read by the DOCX reader.

    `note` is put first in the notes; `as_suffix` is the file's real type when its name says otherwise."""
    path = Path(path)
    head = sniff.head(path, 4096)
    if sniff.binary_unknown(head):
        raise Unreadable("corrupt-doc", f"The file is not a readable {_NAMES.get(path.suffix.lower(), 'Word')} file: "
                                        "its bytes match no Word, WPS, RTF or web-page format.")
    if sniff.is_zip(head) and path.suffix.lower() != ".docx":
        # A .docx saved under an old name (common on government sites): no conversion needed.
        document = _read_package(path)
        return replace(document, notes=(f"the file is a .docx named {path.suffix}", *document.notes))
    with tempfile.TemporaryDirectory(prefix="nianbao-docx-") as folder:
        converted = convert(path, "docx", outdir=Path(folder), as_suffix=as_suffix)
        try:
            document = docx.read(converted)
        except Unreadable as exc:
            raise Unreadable("conversion-failed", f"LibreOffice's conversion could not be read: {exc.reason}") from None
    what = _NAMES.get((as_suffix or path.suffix).lower(), path.suffix)
    notes = ((note,) if note else ()) + (f"converted from {what} to .docx with LibreOffice",)
    return replace(document, source=str(path), notes=(*notes, *document.notes))


# --- spreadsheets ---------------------------------------------------------------------------------------

def read_spreadsheet(path: Path) -> Document:
    """.xlsx read with openpyxl; .xls and .et converted to .xlsx by LibreOffice first."""
    path = Path(path)
    head = sniff.head(path, 4096)
    if sniff.binary_unknown(head):
        what = _NAMES.get(path.suffix.lower(), "spreadsheet")
        raise Unreadable("corrupt-spreadsheet", f"The file is not a readable {what} file: its bytes match no Excel, "
                                                "WPS or web-page format.")
    if sniff.is_zip(head):
        return _read_xlsx(path, source=str(path), notes=())
    note, as_suffix = None, None
    if path.suffix.lower() not in (".xls", ".et"):
        if sniff.is_ole(head) and sniff.encrypted_ooxml(path):
            raise Unreadable("encrypted-spreadsheet", "The Excel workbook is protected by a password.")
        if not sniff.is_ole(head):
            raise Unreadable("corrupt-spreadsheet", "The file is not a valid Excel workbook: it is not a zip archive.")
        note, as_suffix = f"the file is a legacy spreadsheet named {path.suffix}", ".xls"
    with tempfile.TemporaryDirectory(prefix="nianbao-xlsx-") as folder:
        converted = convert(path, "xlsx", outdir=Path(folder), as_suffix=as_suffix)
        what = _NAMES.get((as_suffix or path.suffix).lower(), path.suffix)
        notes = ((note,) if note else ()) + (f"converted from {what} to .xlsx with LibreOffice",)
        try:
            return _read_xlsx(converted, source=str(path), notes=notes)
        except Unreadable as exc:
            raise Unreadable("conversion-failed", f"LibreOffice's conversion could not be read: {exc.reason}") from None


def _read_xlsx(path: Path, source: str, notes: tuple[str, ...]) -> Document:
    try:
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException
    except ImportError:
        raise Unreadable("reader-missing", "openpyxl is needed to read spreadsheets and is not installed.") from None

    with open_package(path, "corrupt-spreadsheet", "Excel workbook") as package:
        if "xl/workbook.xml" not in package.namelist():
            raise Unreadable("corrupt-spreadsheet", "The file is a zip archive but holds no Excel workbook.")
    try:
        with open(path, "rb") as f:     # a file object: openpyxl would refuse a path not ending in .xlsx
            book = openpyxl.load_workbook(f, data_only=True, read_only=False)
    except (InvalidFileException, KeyError, ValueError, TypeError, OSError, EOFError) as exc:
        raise Unreadable("corrupt-spreadsheet", f"The Excel workbook cannot be read ({why(exc)}).") from None
    except Exception as exc:  # noqa: BLE001 — openpyxl raises many kinds of errors on broken workbooks
        raise Unreadable("corrupt-spreadsheet", f"The Excel workbook cannot be read ({type(exc).__name__}).") from None
    blocks: list[Table] = []
    extra: list[str] = []
    for sheet in book.worksheets:
        table = _sheet_table(sheet, len(blocks))
        if table is None:
            continue
        blocks.append(table)
        extra.append(f"table {len(blocks) - 1}: sheet {sheet.title!r}")
    title = (book.properties.title or "").strip() or None
    return Document(source=source, blocks=tuple(blocks), reader=Reader.XLSX, title=title, notes=(*notes, *extra))


def _sheet_table(sheet, k: int) -> Table | None:
    values: dict[tuple[int, int], str] = {}
    for (r, c), cell in list(sheet._cells.items()):     # only cells the file holds (never a 1M × 16k range)
        text = display_text(cell.value, cell.number_format)
        if text:
            values[(r, c)] = text
            if len(values) > MAX_SHEET_CELLS:
                raise Unreadable("corrupt-spreadsheet", f"The sheet {sheet.title!r} holds more than "
                                                 f"{MAX_SHEET_CELLS:,} filled cells, far more than a report's tables.")
    merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in sheet.merged_cells.ranges]
    if not values and not merges:
        return None
    rows = [r for r, _ in values] + [m[0] for m in merges] + [m[2] for m in merges]
    cols = [c for _, c in values] + [m[1] for m in merges] + [m[3] for m in merges]
    top, left, bottom, right = min(rows), min(cols), max(rows), max(cols)
    if (bottom - top + 1) * (right - left + 1) > 4 * MAX_SHEET_CELLS:
        # Sparse far-flung cells: keep the box of the filled cells only.
        rows, cols = [r for r, _ in values], [c for _, c in values]
        top, left, bottom, right = min(rows), min(cols), max(rows), max(cols)
        merges = [m for m in merges if m[0] >= top and m[1] >= left and m[2] <= bottom and m[3] <= right]
    covered: set[tuple[int, int]] = set()
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    for r0, c0, r1, c1 in merges:
        spans[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        covered.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1) if (r, c) != (r0, c0))
    cells = []
    for r in range(top, bottom + 1):
        for c in range(left, right + 1):
            if (r, c) in covered:
                continue
            rowspan, colspan = spans.get((r, c), (1, 1))
            row, col = r - top, c - left
            cells.append(GridCell(row=row, col=col, text=values.get((r, c), ""), rowspan=rowspan, colspan=colspan,
                                  where=Where(table=k, row=row, col=col)))
    return Table(cells=tuple(cells), kind="grid", where=Where(table=k))


_DECIMALS = re.compile(r"0\.(0+)")


def display_text(value, number_format: str | None = "General") -> str:
    """A cell value as a spreadsheet shows it (the common number formats; General otherwise)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        if isinstance(value, dt.datetime) and value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        fmt = (number_format or "General").split(";")[0]
        fmt = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.', "", fmt)       # quoted text, colours, padding
        if fmt.strip().lower() in ("general", "@", ""):
            return _general(value)
        percent = "%" in fmt
        number = value * 100 if percent else value
        match = _DECIMALS.search(fmt)
        places = len(match.group(1)) if match else 0
        grouped = "," in fmt
        text = f"{Decimal(str(number)):{',' if grouped else ''}.{places}f}"
        return text + ("%" if percent else "")
    text = str(value)
    return text.strip()


def _general(value) -> str:
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.15g}"
    return format(Decimal(text).normalize(), "f") if "e" in text else text


__all__ = ["convert", "soffice", "read_docx", "read_legacy_word", "read_spreadsheet", "display_text", "LEGACY_WORD",
           "SPREADSHEETS"]
