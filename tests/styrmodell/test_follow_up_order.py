"""F1: the follow-ups of a year, their order and the month each reports up to, defined once."""

from styrmodell.models import FOLLOW_UP_ORDER, FollowUpPeriod


def test_f1_follow_ups_come_in_the_order_of_the_year():
    assert FOLLOW_UP_ORDER == ("feb", "apr", "aug", "okt", "ar")


def test_f1_each_follow_up_reports_up_to_its_month():
    assert [FollowUpPeriod(code).last_month for code in FOLLOW_UP_ORDER] == [2, 4, 8, 10, 12]


def test_f1_position_is_the_place_in_the_year():
    assert FollowUpPeriod.FEBRUARY.position == 0
    assert FollowUpPeriod.YEAR.position == 4
