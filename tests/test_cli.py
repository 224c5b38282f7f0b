"""The ``roi-kit`` command line, end to end: exit codes a scheduler can trust, progress on stderr,
results on stdout, and one run of the installed console script."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from roi_kit import cli
from roi_kit.cli import EXIT_CONFIG, EXIT_DATA, EXIT_FLAGGED, EXIT_OK, main

ROOT = Path(__file__).resolve().parents[1]
SAAS = ROOT / "data" / "samples" / "saas"
EXAMPLE = ROOT / "examples" / "report.toml"


def _write(tmp_path: Path, body: str, name: str = "report.toml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def _report(config: Path, out: Path, *extra: str) -> int:
    return main(["report", "--config", str(config), "--out", str(out), *extra])


def test_report_html_end_to_end_on_the_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "monthly" / "report.html"
    code = _report(EXAMPLE, out, "--period-start", "2025-12-01", "--period-end", "2025-12-31")
    captured = capsys.readouterr()
    assert code == EXIT_OK, captured.err
    assert captured.out.strip() == str(out)  # stdout: only the paths written
    assert "[1/7] loading data" in captured.err and "[7/7] writing html" in captured.err
    page = out.read_text(encoding="utf-8")
    assert "Northwind Analytics — social media ROI" in page
    assert "2025-12-01 to 2025-12-31 · compared with 2025-10-31 to 2025-11-30" in page  # 31 days each
    assert page.count("<svg") >= 7 and "<script" not in page


def test_report_json_quiet_writes_nothing_to_stderr(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    config = _write(tmp_path, f'[report]\nperiod_start = "2025-06-01"\nperiod_end = "2025-06-30"\n'
                              f'currency = "EUR"\n[data]\ncosts = "{SAAS / "costs.csv"}"\n')
    out = tmp_path / "r.out"
    assert _report(config, out, "--format", "json", "--quiet") == EXIT_OK
    captured = capsys.readouterr()
    assert captured.err == ""
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["period"] == ["2025-06-01", "2025-06-30"] and doc["currency"] == "EUR"
    assert doc["summary"][1].startswith("Social media cost: EUR")


@pytest.mark.parametrize(("body", "message"), [
    ('[report]\nperiod_start = "2025-01-01"\nperiod_end = "2025-01-31"\ncurency = "EUR"',
     "report.curency is not a known key.\nHint: did you mean 'currency'?"),
    ('[report]\nperiod_start = "2025-01-01"\nperiod_end = "2025-01-31"\n[followers]\nlandmark_days = "90"',
     "followers.landmark_days has the wrong type (str: '90').\nHint: it must be a whole number of days"),
    ('[report]\nperiod_start = "2025-01-01"\nperiod_end = "2025-01-31"\n[data]\ndeals = "missing.csv"',
     "data.deals points to"),
    ('[report]\nperiod_start = "2025-01-01"\nperiod_end = "2025-01-31"\n[data]\ndir = "no_such_folder"',
     "data.dir points to"),
    ('[report]\nperiod_start = "2025-01-01"\nperiod_end = "2025-01-31"\n[attribution]\norder = 7',
     "attribution.order is 7.\nHint: use 1, 2, 3 or 4."),
    ('[report]\nperiod = "fortnight"', "report.period is 'fortnight'."),
])
def test_config_errors_exit_2_naming_key_and_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 body: str, message: str) -> None:
    code = _report(_write(tmp_path, body), tmp_path / "r.html")
    err = capsys.readouterr().err
    assert code == EXIT_CONFIG
    assert err.startswith("roi-kit: configuration error: ") and message in err
    assert "Traceback" not in err
    assert not (tmp_path / "r.html").exists()


def test_missing_config_and_bad_options_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _report(tmp_path / "nope.toml", tmp_path / "r.html") == EXIT_CONFIG
    assert "nope.toml does not exist." in capsys.readouterr().err
    assert _report(EXAMPLE, tmp_path / "r.pdf") == EXIT_CONFIG
    assert "cannot tell the format from '.pdf'" in capsys.readouterr().err
    assert _report(EXAMPLE, tmp_path / "r.html", "--period-start", "2025-02-30") == EXIT_CONFIG
    assert "--period-start is not a date: '2025-02-30'" in capsys.readouterr().err
    assert main(["report", "--config", str(EXAMPLE)]) == EXIT_CONFIG  # argparse: --out is required
    assert "the following arguments are required: --out" in capsys.readouterr().err
    assert main([]) == EXIT_CONFIG


def test_version_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == EXIT_OK
    assert capsys.readouterr().out.startswith("roi-kit ")


@pytest.mark.parametrize(("content", "message"), [
    ("when,what\n2025-01-01,ads\n", "missing"),          # no amount/category columns
    ("date,category,amount\n", "no"),                    # a header and no rows
])
def test_data_errors_exit_3(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str,
                            message: str) -> None:
    (tmp_path / "costs.csv").write_text(content, encoding="utf-8")
    config = _write(tmp_path, '[report]\nperiod = "last_month"\n[data]\ncosts = "costs.csv"\n')
    assert _report(config, tmp_path / "r.html") == EXIT_DATA
    err = capsys.readouterr().err
    assert "roi-kit: data error: " in err and "costs.csv" in err and message in err.lower()
    assert "Traceback" not in err
    assert "Hint:" in err


def test_validate_clean_file_exits_0_and_prints_the_load_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(SAAS / "costs.csv"), "--table", "costs"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("Loaded costs from costs.csv") and "No issues found." in out


def test_validate_flags_dropped_rows_with_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    messy = ROOT / "data" / "samples" / "messy" / "deals.csv"
    assert main(["validate", str(messy), "--table", "deals"]) == EXIT_FLAGGED
    out = capsys.readouterr().out
    read, kept, dropped = map(int, re.search(r"Rows: (\d+) read, (\d+) kept, (\d+) dropped", out).groups())
    assert dropped > 0 and read == kept + dropped
    assert "negative amount" in out and "row" in out and "action" in out  # the issues table


def test_validate_errors_exit_2_or_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "none.csv"), "--table", "deals"]) == EXIT_CONFIG
    assert "none.csv does not exist" in capsys.readouterr().err
    bad = tmp_path / "deals.csv"
    bad.write_text("id,value\n1,2\n", encoding="utf-8")
    assert main(["validate", str(bad), "--table", "deals"]) == EXIT_DATA
    assert "deals.csv is missing" in capsys.readouterr().err
    assert main(["validate", str(bad), "--table", "invoices"]) == EXIT_CONFIG  # argparse choices


def test_sample_writes_every_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sample", "--out", str(tmp_path / "samples")]) == EXIT_OK
    for business in ("saas", "dtc"):
        for table in ("customers", "social_audience", "deals", "touchpoints", "posts", "costs",
                      "funnel_events", "goals", "service_interactions"):
            assert (tmp_path / "samples" / business / f"{table}.csv").is_file()
    assert "wrote sample data" in capsys.readouterr().out


def test_app_starts_voila_on_localhost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    calls: list[list[str]] = []

    def fake_call(cmd: list[str], **_: Any) -> int:
        calls.append(cmd)
        return 0

    monkeypatch.setattr(cli.subprocess, "call", fake_call)
    assert main(["app", "--port", "9123", "--notebooks", str(ROOT / "notebooks")]) == EXIT_OK
    (cmd,) = calls
    assert Path(cmd[0]).name == "voila" and cmd[1] == str(ROOT / "notebooks")
    assert "--port=9123" in cmd and "--Voila.ip=127.0.0.1" in cmd
    assert "http://127.0.0.1:9123/" in capsys.readouterr().out
    assert main(["app", "--notebooks", str(tmp_path / "nowhere")]) == EXIT_CONFIG
    assert "is not a folder" in capsys.readouterr().err


def test_installed_console_script_runs_the_example(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("roi-kit")
    if not script.exists():
        pytest.skip("roi-kit is not installed in this environment (pip install -e .)")
    out = tmp_path / "report.json"
    proc = subprocess.run(
        [str(script), "report", "--config", str(EXAMPLE), "--out", str(out),
         "--period-start", "2025-12-01", "--period-end", "2025-12-31"],
        capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(out)
    assert "[4/7] followers vs non-followers" in proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["title"] == "Northwind Analytics — social media ROI"
    assert {"comparison", "attribution", "value_of_social", "funnel", "goals"} <= set(doc["tables"])
