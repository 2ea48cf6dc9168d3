from metrics.channels import channel_conversion, channel_quality
from metrics.filters import Filters


def test_channel_conversion_by_hand(small):
    rows = {r["channel_name"]: r for r in channel_conversion(small, Filters()).iter_rows(named=True)}
    # LinkedIn a1 (4), a2 (1), a6 (0): interviews 1/3, hired 1/3; Referral a3 (2), a4 (3): interviews 2/2
    assert rows["LinkedIn"]["applications"] == 3 and rows["LinkedIn"]["reached_screening"] == 2
    assert rows["LinkedIn"]["interview_rate"] == 1 / 3 and rows["LinkedIn"]["hire_rate"] == 1 / 3
    assert rows["Referral"]["interview_rate"] == 1.0 and rows["Referral"]["hire_rate"] == 0.0
    assert rows["Unknown"]["reached_new"] == 1 and rows["Unknown"]["reached_screening"] == 0
    assert all(r["too_few_to_judge"] for r in rows.values())


def test_channel_quality_shares(small):
    table = channel_quality(small, Filters())
    linkedin = {r["furthest_step"]: r["share"] for r in table.iter_rows(named=True) if r["channel_name"] == "LinkedIn"}
    # LinkedIn furthest: new (a6), screening (a2), hired (a1)
    assert linkedin == {"new": 1 / 3, "screening": 1 / 3, "interviews": 0.0, "offer": 0.0, "hired": 1 / 3}
    assert table.height == 3 * 5
