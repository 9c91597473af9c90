"""What frame templates ask of a frame and an adjustment, answered for every choice value."""

import pytest

from budget.frames.models import AdjustmentKind, Driftbudgetram, FrameAdjustment, FrameStage


@pytest.mark.parametrize("stage", FrameStage.values)
def test_b1_a_frame_answers_which_stage_it_is_at(stage):
    frame = Driftbudgetram(stage=stage)
    assert frame.is_preliminary is (stage == FrameStage.PRELIMINARY)
    assert frame.is_proposal is (stage == FrameStage.PROPOSAL)
    assert frame.is_decided is (stage == FrameStage.DECIDED)


@pytest.mark.parametrize("kind", AdjustmentKind.values)
def test_b6_an_adjustment_is_a_change_requirement_only_of_that_kind(kind):
    adjustment = FrameAdjustment(kind=kind)
    assert adjustment.is_change_requirement is (kind == AdjustmentKind.EFFICIENCY)
