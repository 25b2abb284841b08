"""The codes records and packages carry — cell statuses, check outcomes, cell flags, reason codes — as enums,
with the Chinese words pages show for them.

Every enum is a `StrEnum`: a member is its code string, so JSON, CSV and comparisons with plain strings are
unchanged; the code is the stable name in the data, the Chinese words are for people.
"""

from __future__ import annotations

from enum import StrEnum


class CellStatus(StrEnum):
    """What a printed cell gave (data dictionary): a number, a printed blank, not found, or not a number."""

    VALUE = "value"
    BLANK = "blank"
    MISSING = "missing"          # the cell is not in the report (or its table was not found)
    UNREADABLE = "unreadable"    # something is printed there, but it is not a number we can trust

    @property
    def known(self) -> bool:
        """A value or a blank: a cell a sum can count (a blank counts 0). Missing or unreadable is unknown."""
        return self in (CellStatus.VALUE, CellStatus.BLANK)


CELL_STATUS_WORDS: dict[str, str] = {CellStatus.VALUE: "数值", CellStatus.BLANK: "空白", CellStatus.MISSING: "未找到",
                     CellStatus.UNREADABLE: "无法识别"}


class Outcome(StrEnum):
    """How a check came out. Published as `ok`: true (held), false (failed), empty (unknown or skipped)."""

    HELD = "held"
    FAILED = "failed"
    UNKNOWN = "unknown"      # a cell it needs is missing or unreadable
    SKIPPED = "skipped"      # not checked on purpose: the row's 总计 is printed blank

    @property
    def ok(self) -> bool | None:
        return {Outcome.HELD: True, Outcome.FAILED: False}.get(self)

    @classmethod
    def of(cls, ok: bool) -> Outcome:
        return cls.HELD if ok else cls.FAILED

    @classmethod
    def published(cls, ok: str, any_cell_unknown: bool) -> Outcome:
        """A check read back from checks.csv (`ok` "true" / "false" / ""). An open check none of whose cells is
        missing or unreadable was skipped: the evaluator leaves a check open only for those two reasons."""
        if ok in ("true", "false"):
            return cls.of(ok == "true")
        return cls.UNKNOWN if any_cell_unknown else cls.SKIPPED


OUTCOME_WORDS: dict[str, str] = {
    Outcome.HELD: "成立",
    Outcome.FAILED: "不成立",
    Outcome.UNKNOWN: "无法核对",
    Outcome.SKIPPED: "未核对：“总计”一格原表空白（部分机关在明细行不填总计）",
}


class Flag(StrEnum):
    """Why a cell is doubtful or how it was placed; kept in the cell's `flags`."""

    PAIRED_BY_ORDER = "paired-by-order"
    VALUES_FOUND_AFTER_TABLE = "values-found-after-table"
    UNIT_UNKNOWN = "unit-unknown"
    VALUES_DETACHED = "values-detached"
    TEXT_CUT = "text-cut"
    TABLE_WITHOUT_VALUES = "table-without-values"
    VERSION_UNPROVEN = "version-unproven"
    PADDING_UNPROVEN = "padding-unproven"
    NOT_A_NUMBER = "not-a-number"
    NOT_A_WHOLE_NUMBER = "not-a-whole-number"
    MONEY_IN_COUNT_COLUMN = "money-in-count-column"
    NO_CELLS_PRINTED = "no-cells-printed"
    ROW_NOT_FOUND = "row-not-found"
    UNEXPLAINED_NUMBERS_BELOW = "unexplained-numbers-below"
    STRAY_CELLS_IGNORED = "stray-cells-ignored"
    REVIEW = "review"        # OCR: read with low confidence, a person should look


def cells_for_columns(cells: int, columns: int) -> str:
    """The flag of a row whose printed cells do not fit its columns, e.g. "5-cells-for-7-columns"."""
    return f"{cells}-cells-for-{columns}-columns"


def is_cells_for_columns(flag: str) -> bool:
    return flag.endswith("-columns")


FLAG_WORDS: dict[str, str] = {
    Flag.PAIRED_BY_ORDER: "标签与数字在原文中分离，按顺序配对并经勾稽关系验证",
    Flag.VALUES_FOUND_AFTER_TABLE: "数字印在表格之后，按顺序读取",
    Flag.UNIT_UNKNOWN: "原文未注明金额单位",
    Flag.VALUES_DETACHED: "原文中标签与数字分离",
    Flag.TEXT_CUT: "原文在此处截断，未显示的单元格无法读取",
    Flag.TABLE_WITHOUT_VALUES: "原文表格只有标签，没有数字",
    Flag.VERSION_UNPROVEN: "无法判断表格属于2019年还是2021年格式，数字无法对应到列",
    Flag.PADDING_UNPROVEN: "原文中合并单元格的占位与空白单元格无法区分",
    Flag.NOT_A_NUMBER: "原文这一格印的不是数字",
    Flag.NOT_A_WHOLE_NUMBER: "件数应为整数，原文印的不是整数",
    Flag.MONEY_IN_COUNT_COLUMN: "件数列里印的像是金额",
    Flag.NO_CELLS_PRINTED: "原文这一行没有印出单元格",
    Flag.ROW_NOT_FOUND: "原文中没有找到这一行",
    Flag.UNEXPLAINED_NUMBERS_BELOW: "表格下方另有无法对应的数字",
    Flag.STRAY_CELLS_IGNORED: "原文多出的单元格已忽略",
    Flag.REVIEW: "扫描件文字识别把握不大，需人工核对",
}


# Flags that only say how a value the reader did read was placed — paired by order and proved by the identities,
# read from the numbers printed after the table, a row's extra cells left out. Such a value needs no person;
# every other flag on a cell does (a scan's `review`, a unit not printed, a row cut short): `nianbao review`.
PLACEMENT_FLAGS = frozenset({Flag.PAIRED_BY_ORDER, Flag.VALUES_FOUND_AFTER_TABLE, Flag.STRAY_CELLS_IGNORED})


def flag_words(flag: str) -> str:
    """A flag in words, including the row-shape flags ("5-cells-for-7-columns")."""
    if is_cells_for_columns(flag):
        cells, _, columns = flag.removesuffix("-columns").partition("-cells-for-")
        return f"原文这一行印了 {cells} 格，表格有 {columns} 列"
    return FLAG_WORDS.get(flag, "另有标记，见 cells.csv 的 flags 列")


class ReportScope(StrEnum):
    """What a report's figures count, as its own text says (the record's `scope`): the body alone, or every body
    of its area (全市共受理…: a city government's report counting its departments and districts too)."""

    BODY = "body"
    AREA = "area"
    UNKNOWN = "unknown"      # the report does not say, or says it in ways that disagree: never taken as BODY


SCOPE_WORDS: dict[str, str] = {ReportScope.BODY: "本机关", ReportScope.AREA: "全辖区（全市、全县……）",
                               ReportScope.UNKNOWN: "未说明"}


class ScopePlace(StrEnum):
    """Where a report says what it counts (the record's `scope.found_in`)."""

    OVERVIEW = "overview"
    CAPTION = "caption"


SCOPE_PLACE_WORDS: dict[str, str] = {ScopePlace.OVERVIEW: "一、总体情况", ScopePlace.CAPTION: "统计表标题"}


class Level(StrEnum):
    """The level of government a body belongs to (`agency.level`)."""

    NATIONAL = "national"
    PROVINCE = "province"
    PREFECTURE = "prefecture"
    COUNTY = "county"
    TOWNSHIP = "township"


LEVEL_WORDS: dict[str, str] = {Level.NATIONAL: "中央", Level.PROVINCE: "省级", Level.PREFECTURE: "地市级",
                               Level.COUNTY: "县级", Level.TOWNSHIP: "乡镇级"}


class RecordStatus(StrEnum):
    """The extraction record's status."""

    OK = "ok"
    REJECTED = "rejected"
    ERROR = "error"


class PackageStatus(StrEnum):
    """A report's status in the packages (reports.csv): the record's, settled against the whole corpus."""

    PUBLISHED = "published"
    REJECTED = "rejected"
    NEEDS_REVIEW = "needs_review"
    DUPLICATE = "duplicate"
    ERROR = "error"


PACKAGE_STATUS_WORDS: dict[str, str] = {PackageStatus.PUBLISHED: "已发布", PackageStatus.REJECTED: "未采用",
                        PackageStatus.NEEDS_REVIEW: "待核查", PackageStatus.DUPLICATE: "重复",
                        PackageStatus.ERROR: "处理出错"}


class Coverage(StrEnum):
    """What the corpus holds for one body and one year (/coverage/): its best report's status, or nothing."""

    PUBLISHED = "published"
    NEEDS_REVIEW = "needs_review"
    REJECTED = "rejected"
    NOT_COLLECTED = "not_collected"      # no input names this body and year: unknown whether it was published


COVERAGE_WORDS: dict[str, str] = {Coverage.PUBLISHED: "已发布", Coverage.NEEDS_REVIEW: "待核查",
                                  Coverage.REJECTED: "未采用", Coverage.NOT_COLLECTED: "未收录"}


class ReasonCode(StrEnum):
    """Why a document was rejected (the record's `reason_code`) or a body-year needs review (the package's)."""

    # reading the file (read/: `Unreadable.code`)
    CANNOT_OPEN = "cannot-open"
    EMPTY_FILE = "empty-file"
    UNSUPPORTED_FORMAT = "unsupported-format"
    NOT_TEXT = "not-text"
    UNDECODABLE_TEXT = "undecodable-text"
    NOT_HTML = "not-html"
    NOT_PDF = "not-pdf"
    CORRUPT_PDF = "corrupt-pdf"
    ENCRYPTED_PDF = "encrypted-pdf"
    SCANNED_PDF = "scanned-pdf"
    NO_TEXT_FOUND = "no-text-found"
    CORRUPT_IMAGE = "corrupt-image"
    OCR_NOT_INSTALLED = "ocr-not-installed"
    CORRUPT_DOCX = "corrupt-docx"
    ENCRYPTED_DOCX = "encrypted-docx"
    CORRUPT_DOC = "corrupt-doc"
    CORRUPT_SPREADSHEET = "corrupt-spreadsheet"
    ENCRYPTED_SPREADSHEET = "encrypted-spreadsheet"
    CONVERTER_MISSING = "converter-missing"
    CONVERSION_FAILED = "conversion-failed"
    READER_MISSING = "reader-missing"
    # running the reader (executor)
    TOO_SLOW = "too-slow"
    TOO_MUCH_MEMORY = "too-much-memory"
    READER_CRASHED = "reader-crashed"
    INTERNAL_ERROR = "internal-error"
    # what the document is (identify/)
    WORK_PLAN = "work-plan"
    NOT_ANNUAL_REPORT = "not-annual-report"
    TABLES_NOT_FOUND = "tables-not-found"
    # resolving the corpus (package/)
    DUPLICATE = "duplicate"
    BODY_YEAR_CLASH = "body-year-clash"
    MANIFEST_CONTRADICTS = "manifest-contradicts"
    AGENCY_AMBIGUOUS = "agency-ambiguous"
    AGENCY_UNKNOWN = "agency-unknown"
    YEAR_UNKNOWN = "year-unknown"


# What the site says of a rejected document or a body-year needing review; the packages keep the code and the
# reader's own detailed sentence (reports.csv `reason_code`, `reason`).
REASON_WORDS: dict[str, str] = {
    ReasonCode.CANNOT_OPEN: "文件无法打开。",
    ReasonCode.EMPTY_FILE: "文件是空的。",
    ReasonCode.UNSUPPORTED_FORMAT: "不支持这种文件格式。",
    ReasonCode.NOT_TEXT: "文件不是文本，扩展名与内容不符。",
    ReasonCode.UNDECODABLE_TEXT: "无法识别文本的字符编码。",
    ReasonCode.NOT_HTML: "文件不是网页，扩展名与内容不符。",
    ReasonCode.NOT_PDF: "文件不是 PDF，扩展名与内容不符。",
    ReasonCode.CORRUPT_PDF: "PDF 文件已损坏，无法读取。",
    ReasonCode.ENCRYPTED_PDF: "PDF 文件加了密，无法读取。",
    ReasonCode.SCANNED_PDF: "PDF 是扫描件，没有文字层。",
    ReasonCode.NO_TEXT_FOUND: "文件里没有可读的文字。",
    ReasonCode.CORRUPT_IMAGE: "图片文件已损坏，无法读取。",
    ReasonCode.OCR_NOT_INSTALLED: "这是扫描件，但本次构建没有安装文字识别（OCR）组件。",
    ReasonCode.CORRUPT_DOCX: "Word 文件已损坏，无法读取。",
    ReasonCode.ENCRYPTED_DOCX: "Word 文件加了密，无法读取。",
    ReasonCode.CORRUPT_DOC: "旧版 Word / WPS 文件已损坏，无法转换。",
    ReasonCode.CORRUPT_SPREADSHEET: "电子表格文件已损坏，无法读取。",
    ReasonCode.ENCRYPTED_SPREADSHEET: "电子表格文件加了密，无法读取。",
    ReasonCode.CONVERTER_MISSING: "读取这种文件需要 LibreOffice，本次构建没有安装。",
    ReasonCode.CONVERSION_FAILED: "LibreOffice 未能转换这个文件。",
    ReasonCode.READER_MISSING: "读取这种文件所需的组件没有安装。",
    ReasonCode.TOO_SLOW: "读取超时，已放弃这个文件。",
    ReasonCode.TOO_MUCH_MEMORY: "读取占用内存过多，已放弃这个文件。",
    ReasonCode.READER_CRASHED: "读取程序在这个文件上崩溃。",
    ReasonCode.INTERNAL_ERROR: "Nianbao 处理这个文件时出错（程序缺陷，已记录）。",
    ReasonCode.WORK_PLAN: "不是年度报告：这是一份工作要点或工作计划。",
    ReasonCode.NOT_ANNUAL_REPORT: "不是政府信息公开工作年度报告。",
    ReasonCode.TABLES_NOT_FOUND: "像是年度报告，但三张统计表一张也没有找到。",
    ReasonCode.DUPLICATE: "与另一份输入文件内容完全相同。",
    ReasonCode.BODY_YEAR_CLASH: "同一机关同一年度有两份不同的报告，需要人工确定。",
    ReasonCode.MANIFEST_CONTRADICTS: "清单（manifest.csv）填写的机关或年度与报告本身不符。",
    ReasonCode.AGENCY_AMBIGUOUS: "无法确定是哪个机关：符合的地区不止一个。",
    ReasonCode.AGENCY_UNKNOWN: "无法确定发布报告的机关。",
    ReasonCode.YEAR_UNKNOWN: "无法确定报告所属年度。",
}


class Reader(StrEnum):
    """Which reader turned the file into text (the record's `reader`)."""

    PDF = "pdf"
    OCR = "ocr"
    DOCX = "docx"
    XLSX = "xlsx"
    HTML = "html"
    TEXT = "text"


READER_WORDS: dict[str, str] = {Reader.PDF: "PDF 文字层", Reader.OCR: "扫描件文字识别（OCR）",
                                Reader.DOCX: "Word 文档", Reader.XLSX: "电子表格", Reader.HTML: "网页",
                                Reader.TEXT: "纯文本"}


class CellSource(StrEnum):
    """Where a published cell's value came from (cells.csv `source`): the reader, or a person's correction
    (`reports/corrections.csv`, the settle stage)."""

    READER = "reader"
    CORRECTION = "correction"


CELL_SOURCE_WORDS: dict[str, str] = {CellSource.READER: "程序读取", CellSource.CORRECTION: "人工核定"}


class SettlementKind(StrEnum):
    """What a person's correction did to a cell: supplied one the reader left unread or flagged for review, or
    corrected one the reader misread (allowed only when the note says it is a misreading)."""

    SUPPLIED = "supplied"
    CORRECTED = "corrected"


SETTLEMENT_WORDS: dict[str, str] = {SettlementKind.SUPPLIED: "补录", SettlementKind.CORRECTED: "更正"}


def settlement_sentence(kind: str, note: str, by: str, date: str) -> str:
    """How a settled number is described wherever it is shown (the page's tooltip, the XLSX comment):
    人工核定（补录）：note（by，date）."""
    return f"人工核定（{SETTLEMENT_WORDS.get(kind, kind)}）：{note}（{by}，{date}）"
