"""The sample statistics of ``evaluate continue``: features, overlap and in-key share on hand-made takes."""

from __future__ import annotations

import numpy as np
import pytest

from musestudio.core.keys import KeySignature
from musestudio.core.note import Note
from musestudio.ml.eval import continuation as evaluate

TPB = 480


def scale_take(pitches, step=TPB):
    return [Note(p, i * step, step) for i, p in enumerate(pitches)]


def test_features_are_distributions_and_identical_sets_overlap_fully():
    takes = [(scale_take([60, 62, 64, 65]), TPB), (scale_take([67, 69, 71, 72], TPB // 2), TPB)]
    feats = evaluate._features(takes)
    for name, hist in feats.items():
        assert hist.sum() == pytest.approx(1.0), name
        assert evaluate.overlap(hist, hist) == pytest.approx(1.0)
    assert feats["ioi"][np.searchsorted(evaluate.IOI_BINS, 1.0, side="right") - 1] == pytest.approx(3 / 6)


def test_different_rhythms_and_pitches_overlap_less():
    quarters = evaluate._features([(scale_take([60, 62, 64, 65]), TPB)])
    eighths = evaluate._features([(scale_take([61, 63, 66, 68], TPB // 2), TPB)])
    assert evaluate.overlap(quarters["ioi"], eighths["ioi"]) == 0.0
    assert evaluate.overlap(quarters["pitch_class"], eighths["pitch_class"]) == 0.0
    assert evaluate.overlap(quarters["pitch_range"], eighths["pitch_range"]) == pytest.approx(0.0)


def test_in_key_share_counts_notes_in_each_takes_key():
    c, g = KeySignature(0), KeySignature(7)
    takes = [(scale_take([60, 61, 62, 64]), c), (scale_take([66, 65]), g), (scale_take([1]), None)]
    assert evaluate._in_key(takes) == pytest.approx(4 / 6)  # C# and F (in G) are out; unknown keys skipped


def test_evaluate_engine_reports_the_goals_measures_and_other_judges_verdicts_on_the_same_outputs():
    import torch

    from musestudio.core.project import TimeSignature
    from musestudio.ml.eval.restyle import Window, evaluate_engine
    from musestudio.ml.models.style_classifier import Config, Model

    torch.manual_seed(0)
    judge = Model(Config(styles=["bach", "celtic"], hidden=8, dilations=[1])).eval()
    other = Model(Config(styles=["bach", "celtic"], hidden=8, dilations=[1])).eval()
    tpb, sigs = 480, (TimeSignature(0, 4, 4),)
    windows = [
        Window(style, "", tuple(Note(60 + (i * k) % 12, i * tpb, tpb, 80) for i in range(16)), tpb, sigs, 64)
        for k, style in ((2, "bach"), (5, "celtic"))
    ]
    r = evaluate_engine("identity", windows, judge, others={"same": judge, "other": other})
    o = r["overall"]
    assert o["tune_kept"] == 1.0 and o["chroma_similarity"] == pytest.approx(1.0)
    assert o["target_share@same"] == o["target_share"]
    assert o["target_and_kept_share@same"] == o["target_and_kept_share"]
    assert 0.0 <= o["target_share@other"] <= 1.0


def test_evaluate_engine_restyles_into_the_targets_asked_for_and_says_each_targets_share():
    """A probe of one target (``--targets``) arranges into it alone, and every run reports its share heard
    as the target per target, which an overall miss does not say."""
    import torch

    from musestudio.core.project import TimeSignature
    from musestudio.ml.eval.restyle import Window, evaluate_engine
    from musestudio.ml.models.style_classifier import Config, Model

    torch.manual_seed(0)
    styles = ["bach", "celtic", "jazz"]
    judge = Model(Config(styles=styles, hidden=8, dilations=[1])).eval()
    tpb, sigs = 480, (TimeSignature(0, 4, 4),)
    windows = [
        Window(style, "", tuple(Note(60 + (i * k) % 12, i * tpb, tpb, 80) for i in range(16)), tpb, sigs, 64)
        for k, style in ((2, "bach"), (5, "celtic"))
    ]
    whole = evaluate_engine("identity", windows, judge, others={"same": judge})
    assert set(whole["per_pair"]) == {"bach->celtic", "celtic->bach"}
    for target in ("bach", "celtic"):
        assert (
            whole["per_target"][target]["target_share"]
            == whole["per_pair"][f"{'celtic' if target == 'bach' else 'bach'}->{target}"]["target"]
        )
        assert whole["per_target"][target]["target_share@same"] == whole["per_target"][target]["target_share"]
    probe = evaluate_engine("identity", windows, judge, targets=["jazz"])
    assert set(probe["per_pair"]) == {"bach->jazz", "celtic->jazz"}
    assert set(probe["per_target"]) == {"jazz"}
    assert 0.0 <= probe["per_target"]["jazz"]["target_share"] <= 1.0
