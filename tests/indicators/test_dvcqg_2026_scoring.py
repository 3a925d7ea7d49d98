"""The 2026 DVCQG scoring reproduces the portal's own published points, and its command reads and writes
the documented JSON."""
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from motcua.indicators import dvcqg2026 as s

CAPTURE = json.loads((Path(__file__).parent / "data" / "dvcqg_2026_gia_lai.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("unit", CAPTURE["units"], ids=[u["code"] for u in CAPTURE["units"]])
def test_published_points_of_real_agencies_are_reproduced(unit):
    scored = s.score_unit(unit["metrics"])
    published = unit["published"]
    for code, points in published["metrics"].items():
        assert scored["metrics"][code]["points"] == points, code
    for code, ratio in published["ratios"].items():
        assert scored["metrics"][code]["ratio"] == ratio, code
    for group, points in published["groups"].items():
        assert scored["groups"][group] == points, group


def test_groups_are_sums_of_rounded_metric_points_not_rounded_sums():
    # H21.227's MDSH: the exact sum is 12.51, the portal publishes 12.49 = the sum of the rounded points.
    unit = next(u for u in CAPTURE["units"] if u["code"] == "H21.227")
    assert s.score_unit(unit["metrics"])["groups"]["MDSH"] == 12.49


@pytest.mark.parametrize("code, num, den, points", [
    ("REUSED_DIGITIZED_DATA", 80, 100, 2),           # full at exactly 80 %
    ("REUSED_DIGITIZED_DATA", 79, 100, 1.98),        # 2 x 79/80 = 1.975 -> half up
    ("DOSSIER_RECEIVING_SATISFACTION", 90, 100, 6),  # full at exactly 90 %
    ("DOSSIER_RECEIVING_SATISFACTION", 89, 100, 5.93),
    ("ONLINE_PAYMENT_FORMALITY", 4, 5, 2),           # 80 %
    ("ONLINE_PAYMENT_FORMALITY", 1, 2, 1.25),
    ("ONLINE_PAYMENT_FEE_DOSSIER", 99, 100, 2),      # capped
    ("ONLINE_PAYMENT_DOSSIER", 1, 2, 3),
    ("ONLINE_SERVICE_PROVIDED", 4, 5, 2),
    ("ONLINE_DOSSIER", 1, 2, 6),                     # full from 50 %
    ("ONLINE_DOSSIER", 1, 4, 3),
    ("ONLINE_SERVICE_WITH_DOSSIER", 1, 4, 1),
    ("TDGQ", 0, 5, 0),
])
def test_thresholds_and_caps(code, num, den, points):
    assert s.score_unit({code: {"numerator": num, "denominator": den}})["metrics"][code]["points"] == points


def test_points_round_half_up():
    # 6 x 1/400 = 0.015 exactly: half up gives 0.02 (float round() gives 0.01 or 0.02 by accident)
    assert s.score_metric("PUBLISH_ON_TIME", 1, 400) == (Fraction(1, 4), Fraction(2, 100))
    assert s.round_half_up(Fraction(5, 1000)) == Fraction(1, 100)
    assert s.round_half_up(Fraction(4999, 1000000)) == 0


@pytest.mark.parametrize("code, expected", [
    ("PETITION_PROCESSING_ON_TIME", 6), ("PETITION_HANDLING_SATISFACTION", 6),   # no petition: full
    ("DOSSIER_RECEIVING_SATISFACTION", 0), ("TDGQ", 0), ("ONLINE_PAYMENT_DOSSIER", 0),   # nothing to judge: 0
    ("PETITION_CLASSIFICATION_STAFF", None),
])
def test_empty_denominator(code, expected):
    out = s.score_unit({code: {"numerator": 0, "denominator": 0}})["metrics"][code]
    assert out == {"ratio": 0, "points": expected, "held": True}


def test_null_counts_give_full_points_and_a_missing_metric_is_not_held():
    out = s.score_unit({"ELECTRONIC_CERTIFIED_COPY": {"numerator": None, "denominator": None}})
    assert out["metrics"]["ELECTRONIC_CERTIFIED_COPY"] == {"ratio": 100, "points": 2, "held": True}
    assert out["metrics"]["DOSSIER_SYNC"] == {"ratio": None, "points": None, "held": False}
    assert out["groups"] == {"CKMB": 0, "TDGQ": 0, "ONLINE": 0, "TTTT": 0, "MDSH": 2, "MDHL": 0}
    assert out["total"] == 2


def test_a_perfect_unit_scores_100():
    perfect = {code: {"numerator": 10, "denominator": 10} for code in s.RULES}
    out = s.score_unit(perfect)
    assert out["groups"] == s.GROUPS and out["total"] == 100


@pytest.mark.parametrize("metrics, code", [
    ({"TDGQ": {"numerator": 5, "denominator": 4}}, "numerator_exceeds"),
    ({"TDGQ": {"numerator": 1, "denominator": 0}}, "numerator_exceeds"),
    ({"TDGQ": {"numerator": -1, "denominator": 4}}, "invalid_count"),
    ({"TDGQ": {"numerator": 1.5, "denominator": 4}}, "invalid_count"),
    ({"TDGQ": {"numerator": "1", "denominator": 4}}, "invalid_count"),
    ({"TDGQ": {"numerator": True, "denominator": 4}}, "invalid_count"),
    ({"TDGQ": {"numerator": 1, "denominator": None}}, "incomplete_metric"),
    ({"TDGQ": [1, 2]}, "invalid_metric"),
    ({"NOT_A_METRIC": {"numerator": 1, "denominator": 2}}, "unknown_metric"),
])
def test_bad_input_is_refused_with_a_code(metrics, code):
    with pytest.raises(s.ScoringInputError) as err:
        s.score_unit(metrics)
    assert err.value.code == code


def _document():
    return {"set": "dvcqg-2026", "units": [
        {"code": "H21.17", "metrics": {"TDGQ": {"numerator": 596, "denominator": 597},
                                       "DOSSIER_SYNC": {"numerator": 10, "denominator": 10},
                                       "ONLINE_PAYMENT_DOSSIER": {"numerator": 145, "denominator": 165},
                                       "ONLINE_PAYMENT_FORMALITY": {"numerator": 8, "denominator": 12},
                                       "ONLINE_PAYMENT_FEE_DOSSIER": {"numerator": None, "denominator": None}}}]}


def test_command_prints_the_documented_shape(tmp_path, capsys):
    path = tmp_path / "counts.json"
    path.write_text(json.dumps(_document()), encoding="utf-8")
    call_command("indicators", "score", "--set", "dvcqg-2026", str(path))
    out = json.loads(capsys.readouterr().out)
    unit = out["units"][0]
    assert unit["code"] == "H21.17"
    assert unit["metrics"]["TDGQ"] == {"ratio": 99.83, "points": 19.97, "held": True}
    # 6 x 145/165 = 5.2727 -> 5.27; 2 x (8/12)/0.8 = 1.6667 -> 1.67; 2 (null counts)
    assert unit["groups"]["TTTT"] == 8.94
    assert set(unit["groups"]) == {"CKMB", "TDGQ", "ONLINE", "TTTT", "MDSH", "MDHL"}
    assert unit["total"] == 19.97 + 6 + 8.94


@pytest.mark.parametrize("content, code", [
    ("{not json", "invalid_json"),
    (json.dumps({"set": "766-2022", "units": []}), "unknown_set"),
    (json.dumps({"set": "dvcqg-2026", "units": [{"code": "X", "metrics": {"TDGQ": {"numerator": 3,
                                                                                  "denominator": 2}}}]}),
     "numerator_exceeds"),
    (json.dumps({"set": "dvcqg-2026", "units": [{"metrics": {}}]}), "invalid_unit"),
])
def test_command_refuses_bad_files_with_a_code(tmp_path, content, code):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as err:
        call_command("indicators", "score", "--set", "dvcqg-2026", str(path))
    assert str(err.value).startswith(code + ":")


def test_command_refuses_another_set(tmp_path):
    with pytest.raises(CommandError) as err:
        call_command("indicators", "score", "--set", "766-2022", str(tmp_path / "x.json"))
    assert str(err.value).startswith("unknown_set:")


def test_motcua_command_line(tmp_path):
    path = tmp_path / "counts.json"
    path.write_text(json.dumps(_document()), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "motcua.cli", "indicators", "score", "--set", "dvcqg-2026",
                          str(path)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["units"][0]["groups"]["TDGQ"] == 19.97
