"""`nianbao extract` as the contract says: JSON Lines in input order, exit 0, bad input rejected with a reason."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_extract(*files: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "nianbao", "extract", *map(str, files)],
                          capture_output=True, text=True, env=env, timeout=120)


REPORT = """2021年政府信息公开工作年度报告
上海市长宁区卫生健康委员会
一、总体情况
本年度我委认真落实政府信息公开工作。
二、主动公开政府信息情况
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
| 规章 | 0 | 0 | 0 |
| 行政规范性文件 | 2 | 1 | 9 |
| 信息内容 | 本年处理决定数量 |
| 行政许可 | 120 |
| 行政处罚 | 30 |
| 行政强制 | 0 |
| 信息内容 | 本年收费金额（单位：万元） |
| 行政事业性收费 | 63.28 |
三、收到和处理政府信息公开申请情况
| 一、本年新收政府信息公开申请数量 | 12 | 0 | 0 | 0 | 0 | 0 | 12 |
| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| （七）总计 | 12 | 0 | 0 | 0 | 0 | 0 | 12 |
| 四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
四、政府信息公开行政复议、行政诉讼情况
| 行政复议 | 行政诉讼 |
| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 |
| 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
五、存在的主要问题及改进情况
无。
六、其他需要报告的事项
无。
"""


@pytest.fixture
def inputs(tmp_path):
    files = {
        "empty.txt": b"",
        "garbage.txt": bytes(range(256)) * 40,
        "garbage.html": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(200)) * 10,
        "report.txt": REPORT.encode("gb18030"),
        "undecodable.txt": b"\xff\xfe\xfd" * 3 + b"\x81\x30" * 50 + b"\xfe" * 40 + b"\x80\xff" * 60,
        "report-bom.txt": b"\xef\xbb\xbf" + REPORT.encode("utf-8"),
    }
    paths = []
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def test_one_record_per_input_in_order_and_exit_zero(inputs, tmp_path):
    missing = tmp_path / "does-not-exist.txt"
    result = run_extract(*inputs, missing)
    assert result.returncode == 2, result.stderr     # a path that does not exist: bad usage, yet still a record
    assert "no such file or folder" in result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["source"] for r in records] == [str(p) for p in [*inputs, missing]]
    by_name = {Path(r["source"]).name: r for r in records}
    for name in ("empty.txt", "garbage.txt", "garbage.html", "undecodable.txt", "does-not-exist.txt"):
        record = by_name[name]
        assert record["status"] == "rejected", name
        reason = record["reason"]
        assert reason and reason.endswith(".") and reason.count(". ") == 0, reason
    assert by_name["empty.txt"]["reason"] == "The file is empty."
    for name in ("report.txt", "report-bom.txt"):
        record = by_name[name]
        assert record["status"] == "ok"
        assert record["year"] == 2021 and record["template"] == "2021"
        assert record["cells"]["requests.new.total"]["value"] == 12
        assert record["cells"]["disclosure.normative.in_force"]["value"] == 9
        assert record["cells"]["disclosure.fees.amount"] == {
            "value": 63.28, "status": "value", "raw": "63.28", "unit": "万元", "where": {"line": 14}}
        # rows not printed are missing, never zero
        assert record["cells"]["requests.granted.total"]["status"] == "missing"
        assert record["sha256"] and len(record["sha256"]) == 64


def test_output_is_deterministic(inputs):
    first, second = run_extract(*inputs), run_extract(*inputs)
    assert first.stdout == second.stdout


def test_bad_usage_exits_2():
    result = run_extract()
    assert result.returncode == 2


def test_build_strict_exits_non_zero_when_a_document_needs_review(tmp_path):
    """Two different reports for one body-year: the default build reports and exits 0, --strict exits 1."""
    from click.testing import CliRunner
    from nianbao.cli import main
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a.txt").write_text(REPORT, encoding="utf-8")
    (reports / "b.txt").write_text(REPORT.replace("| 行政许可 | 120 |", "| 行政许可 | 121 |"), encoding="utf-8")
    args = ["build", "--reports", str(reports), "--out", str(tmp_path / "out"), "--no-site", "--executor", "serial"]
    relaxed = CliRunner().invoke(main, args)
    assert relaxed.exit_code == 0, relaxed.output
    assert "a.txt: needs_review: There are 2 different reports" in relaxed.output
    strict = CliRunner().invoke(main, [*args, "--strict"])
    assert strict.exit_code == 1
    (reports / "b.txt").unlink()
    settled = CliRunner().invoke(main, [*args, "--strict"])
    assert settled.exit_code == 0, settled.output


def test_build_with_relative_folders_writes_the_site(tmp_path, monkeypatch):
    """`nianbao build --reports reports --out out` from the folder that holds them (paths relative to it)."""
    from click.testing import CliRunner
    from nianbao.cli import main
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "a.txt").write_text(REPORT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "--reports", "reports", "--out", "out", "--executor", "serial"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "site" / "index.html").is_file()


def test_the_command_line_is_the_same_after_the_layout_moved():
    """extract.py, build/ and synth/ replaced pipeline.py, executor.py, cache.py and fixtures/: the commands and
    their options are what they were."""
    from nianbao.cli import main

    options = {name: sorted(p.name for p in command.params) for name, command in main.commands.items()}
    assert options == {
        "add": ["agency", "file", "force", "notes", "published", "reports_dir", "retrieved", "url", "year"],
        "build": ["config_file", "executor", "no_cache", "no_site", "out_dir", "reports_dir", "scheduler", "site_budget",
                  "strict", "workers"],
        "extract": ["paths"],
        "review": ["filled", "out_file", "reports_dir"],
        "serve": ["bind", "out_dir", "port"],
        "synth": ["count", "out_dir", "seed", "workers"],
        "validate": ["everything", "folder", "state_file", "workers"],
        "publish": ["address", "dry_run", "endpoint", "path_style", "region", "site"],
    }


# ------------------------------------------------------------------------------------------ usage a user expects


def invoke(*args: str):
    from click.testing import CliRunner
    from nianbao.cli import main
    return CliRunner().invoke(main, list(args))


def test_extract_of_a_missing_file_is_a_usage_error(tmp_path):
    result = run_extract(tmp_path / "missing.pdf")
    assert result.returncode == 2
    assert "no such file or folder" in result.stderr and "missing.pdf" in result.stderr
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["status"] == "rejected" and record["reason_code"] == "cannot-open"
    ok = run_extract(Path(__file__))   # an existing file that is no report: rejected, exit 0
    assert ok.returncode == 0


def test_extract_of_a_folder_reads_its_files_in_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "report.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "a.txt").write_text(REPORT.replace("上海市长宁区", "上海市徐汇区"), encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,source_url\n", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(REPORT, encoding="utf-8")
    result = run_extract(tmp_path)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["source"] for r in records] == [str(tmp_path / "a.txt"), str(tmp_path / "b" / "report.txt")]
    assert [r["agency"]["name"] for r in records] == ["上海市徐汇区卫生健康委员会", "上海市长宁区卫生健康委员会"]


def test_add_refuses_a_bad_url_and_writes_nothing(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    reports = tmp_path / "reports"
    result = invoke("add", str(report), "--url", "notaurl", "--reports", str(reports))
    assert result.exit_code == 2
    assert "--url must be the report's web address" in result.output
    assert not reports.exists()


def test_add_refuses_a_rejected_document_unless_forced(tmp_path):
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(bytes(range(256)) * 40)
    reports = tmp_path / "reports"
    url = "https://www.example.gov.cn/art/2025/1/20/art_1.html"
    refused = invoke("add", str(garbage), "--url", url, "--reports", str(reports))
    assert refused.exit_code == 2
    assert "garbage.txt is not added" in refused.output and "--force" in refused.output
    assert not reports.exists()
    forced = invoke("add", str(garbage), "--url", url, "--reports", str(reports), "--force")
    assert forced.exit_code == 0, forced.output
    assert (reports / "garbage.txt").is_file() and "garbage.txt" in (reports / "manifest.csv").read_text("utf-8")
    assert "status: rejected" in forced.output


def test_add_names_each_failed_check_in_words(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text(REPORT.replace("| （七）总计 | 12 | 0 | 0 | 0 | 0 | 0 | 12 |",
                                     "| （七）总计 | 12 | 0 | 0 | 0 | 0 | 0 | 13 |"), encoding="utf-8")
    result = invoke("add", str(report), "--url", "https://www.example.gov.cn/a.html", "--reports",
                    str(tmp_path / "reports"))
    assert result.exit_code == 0, result.output
    failed = [line.strip() for line in result.output.splitlines() if line.strip().startswith("✗")]
    assert failed, result.output
    assert all("表三" in line and "应等于" in line and "≠" in line for line in failed), failed
    assert f"failed checks: {len(failed)}" in result.output


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<h1>首页</h1>", encoding="utf-8")
    (site / "404.html").write_text("<h1>页面不存在</h1>", encoding="utf-8")
    return site


def test_serve_on_a_busy_port_says_so(tmp_path):
    import socket
    _site(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = invoke("serve", "--out", str(tmp_path), "--port", str(port))
    assert result.exit_code == 2
    assert f"port {port} on 127.0.0.1 is in use" in result.output and "Traceback" not in result.output


def test_serve_answers_a_missing_page_with_the_sites_404_page(tmp_path):
    import threading
    import urllib.error
    import urllib.request
    from nianbao.site.serve import make_server
    server = make_server(_site(tmp_path), "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{server.server_address[1]}/agencies/nope/", timeout=10)
        assert missing.value.code == 404
        assert missing.value.read().decode("utf-8") == "<h1>页面不存在</h1>"
    finally:
        server.shutdown()
        server.server_close()


def test_validate_passes_good_packages_and_names_what_is_wrong_in_a_bad_one(tmp_path):
    import shutil
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a.txt").write_text(REPORT, encoding="utf-8")
    out = tmp_path / "out"
    assert invoke("build", "--reports", str(reports), "--out", str(out), "--no-site", "--executor", "serial").exit_code == 0
    packages = out / "datapackages"
    good = invoke("validate", str(packages))
    assert good.exit_code == 0, good.output
    assert "2 packages checked, 0 skipped as unchanged since they were last found valid, 0 invalid" in good.output
    cells = next(packages.glob("*/2021/cells.csv"))
    text = cells.read_text(encoding="utf-8-sig")
    cells.write_text(text.replace(",12,value,", ",twelve,value,", 1), encoding="utf-8-sig")
    bad = invoke("validate", str(packages))
    assert bad.exit_code == 1
    [line] = [line for line in bad.output.splitlines() if line.startswith("INVALID")]
    assert "cells" in line and "twelve" in line, line
    shutil.rmtree(packages / "all")
    assert "the corpus package" in invoke("validate", str(packages)).output
