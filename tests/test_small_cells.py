from participation.small_cells import hide_small_groups, is_publishable, mask, mask_counts


def test_counts_one_to_four_are_masked():
    assert [mask(n) for n in range(7)] == [0, "<5", "<5", "<5", "<5", 5, 6]
    assert not is_publishable(4) and is_publishable(5) and is_publishable(0)


def test_mask_counts_and_hide_small_groups():
    assert mask_counts({"a": 3, "b": 12}) == {"a": "<5", "b": 12}
    assert hide_small_groups({"young": [1, 2, 3], "old": list(range(5))}) == {"old": [0, 1, 2, 3, 4]}
