"""URL filter values: parsing, keeping a remembered value valid, formatting (pure)."""

from datetime import date

from council import filters

JAN1, JAN10, JAN31 = date(2024, 1, 1), date(2024, 1, 10), date(2024, 1, 31)


def test_int_range_from_the_url_is_clamped_and_bad_text_is_the_full_range() -> None:
    assert filters.parse_int_range("10-20", 1, 41) == (10, 20)
    assert filters.parse_int_range("20-10", 1, 41) == (10, 20)
    assert filters.parse_int_range("8-41", 1, 12) == (8, 12)
    assert filters.parse_int_range("x-2", 1, 12) == (1, 12)
    assert filters.parse_int_range(None, 1, 12) == (1, 12)


def test_a_remembered_int_range_is_kept_inside_the_bounds() -> None:
    assert filters.clamp_int_range((8, 41), 1, 41) == (8, 41)
    assert filters.clamp_int_range((41, 8), 1, 12) == (8, 12)
    assert filters.clamp_int_range(("a", 2), 1, 12) == (1, 12)
    assert filters.clamp_int_range(3, 1, 12) == (1, 12)


def test_int_range_in_the_url_only_when_narrower_than_the_full_range() -> None:
    assert filters.format_int_range((10, 20), 1, 41) == "10-20"
    assert filters.format_int_range((1, 41), 1, 41) is None


def test_int_from_the_url() -> None:
    assert filters.parse_int("5", 0, 100, 0) == 5
    assert filters.parse_int("500", 0, 100, 0) == 100
    assert filters.parse_int("-3", 0, None, 0) == 0
    assert filters.parse_int("10000000", 0, None, 0) == 10_000_000
    assert filters.parse_int("five", 5, 40, 15) == 15
    assert filters.parse_int(None, 5, 40, 15) == 15
    assert filters.format_int(15, 15) is None
    assert filters.format_int(5, 15) == "5"


def test_choice_from_the_url_by_its_text() -> None:
    rounds = [41, 20, 10]
    assert filters.parse_choice("20", rounds, 41) == 20
    assert filters.parse_choice("22", rounds, 41) == 41
    assert filters.parse_choice(None, rounds, None) is None
    metrics = {"Terms served": "terms_served", "Times elected": "times_elected"}
    labels = list(metrics)
    assert filters.parse_choice("times_elected", labels, labels[0], metrics.get) == "Times elected"
    assert filters.format_choice("Times elected", labels[0], metrics.get) == "times_elected"
    assert filters.format_choice("Terms served", labels[0], metrics.get) is None
    assert filters.format_choice(None, None) is None
    assert filters.format_choice(20, 41) == "20"


def test_a_remembered_choice_no_longer_offered_falls_back_to_the_default() -> None:
    assert filters.fit_choice(20, [20, 10], 20) == 20
    assert filters.fit_choice(41, [20, 10], 20) == 20
    assert filters.fit_choice("KPI round 18", [30, 29], None) is None


def test_date_range_from_the_url() -> None:
    assert filters.parse_date_range("2024-01-10", None, JAN1, JAN31) == (JAN10, JAN31)
    assert filters.parse_date_range("2024-01-31", "2024-01-10", JAN1, JAN31) == (JAN10, JAN31)
    assert filters.parse_date_range("2023-12-01", "soon", JAN1, JAN31) == (JAN1, JAN31)


def test_a_half_picked_date_range_is_left_alone() -> None:
    assert filters.fit_date_range((JAN10,), JAN1, JAN31) == (JAN10,)
    assert filters.fit_date_range((JAN10, date(2025, 1, 1)), JAN1, JAN31) == (JAN10, JAN31)
    assert filters.format_date_range((JAN1, JAN31), JAN1, JAN31) == (None, None)
    assert filters.format_date_range((JAN1, JAN10), JAN1, JAN31) == ("2024-01-01", "2024-01-10")


def test_unknown_url_values_are_dropped() -> None:
    assert filters.keep_known(["ilich", "nobody"], {"ilich", "tomato"}) == ["ilich"]
