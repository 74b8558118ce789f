from redline.linecol import LineIndex


def test_positions_with_mixed_line_breaks() -> None:
    index = LineIndex("ab\ncd\r\nef\rgh")
    assert [index.position(o) for o in (0, 2, 3, 5, 7, 10, 11)] == [
        (1, 1), (1, 3), (2, 1), (2, 3), (3, 1), (4, 1), (4, 2)
    ]  # fmt: skip
    assert index.line_count == 4
    assert (index.line_start(2), index.line_end(2)) == (3, 5)
    assert index.offset(3, 2) == 8


def test_columns_count_code_points() -> None:
    assert LineIndex("😀 é x").position(4) == (1, 5)


def test_offsets_clamped() -> None:
    index = LineIndex("abc")
    assert index.position(-5) == (1, 1)
    assert index.position(99) == (1, 4)
