from server.core.codes import is_valid_municipality_code, municipality_check_digit, normalize_real_estate_id


def test_known_municipality_codes_are_valid():
    assert is_valid_municipality_code("131016")  # 千代田区
    assert is_valid_municipality_code("011002")  # 札幌市


def test_a_wrong_check_digit_is_invalid():
    assert not is_valid_municipality_code("131017")
    assert not is_valid_municipality_code("011003")


def test_codes_that_are_not_six_ascii_digits_or_name_no_prefecture_are_invalid():
    for code in ("13101", "1310160", "13101a", "１３１０１６", "", "481016"[:0] + "991011"):
        assert not is_valid_municipality_code(code)


def test_the_check_digit_is_eleven_minus_the_weighted_sum_mod_eleven_last_digit():
    assert municipality_check_digit("13101") == 6
    assert municipality_check_digit("01100") == 2


def test_real_estate_ids_are_seventeen_digits_written_13_dash_4():
    assert normalize_real_estate_id("12345678901231234") == "1234567890123-1234"
    assert normalize_real_estate_id(" 1234567890123-1234 ") == "1234567890123-1234"
    assert normalize_real_estate_id("123-456") is None
