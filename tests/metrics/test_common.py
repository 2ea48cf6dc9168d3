import polars as pl

from metrics.common import decimal_ids


def test_decimal_ids_as_integers_nulls_kept():
    ids = pl.Series(["1", "20", "0", None, "100", "18446744073709551615"], dtype=pl.String)
    assert decimal_ids(ids).to_list() == [1, 20, 0, None, 100, 18446744073709551615]
    assert decimal_ids(pl.Series([], dtype=pl.String)).to_list() == []


def test_decimal_ids_none_unless_every_id_is_a_plain_decimal():
    # each would either not parse or parse to an integer that another spelling shares ("007" and "7")
    for odd in ("007", "00", "+7", "-7", "-0", " 7", "7 ", "1e3", "0x1", "1_0", "", "a1", "18446744073709551616"):
        assert decimal_ids(pl.Series(["7", odd], dtype=pl.String)) is None, odd
