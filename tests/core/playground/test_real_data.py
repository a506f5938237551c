"""The user's points: a CSV of two numeric columns and a label, or two classes of a loaded dataset; each bad
file is one message that names it."""

import numpy as np
import pytest

from core.datasets import LoadRequest, load_dataset
from core.errors import DataError
from core.playground.real_data import points_from_csv, points_from_dataset


def write(tmp_path, text, name="points.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_semicolon_csv_reads_as_well(tmp_path):
    points = points_from_csv(write(tmp_path, "a;b;c\n1;2;x\n2;1;y\n3;3;x\n4;0;y\n"), "classification")
    assert len(points.labels) == 4


def test_a_csv_becomes_points_on_the_playgrounds_plane(tmp_path):
    rows = "\n".join(f"{x},{10 * x + 100},{'yes' if x > 2 else 'no'}" for x in range(6))
    points = points_from_csv(write(tmp_path, "height,weight,big\n" + rows), "classification")
    assert points.points[:, 0].min() == -6 and points.points[:, 0].max() == 6
    np.testing.assert_allclose(points.points[:, 1], points.points[:, 0])  # both axes scaled onto [-6, 6]
    assert list(points.labels) == [-1, -1, -1, 1, 1, 1] and points.axis_names == ("height", "weight")
    assert "big: yes (+1) against no (−1)" in points.description and "100..150" in points.description
    regression = points_from_csv(write(tmp_path, "a,b,c\n0,0,1\n1,2,3\n2,1,5\n3,3,2\n", "r.csv"), "regression")
    assert regression.labels.min() == -1 and regression.labels.max() == 1


@pytest.mark.parametrize(
    "text, message",
    [
        ("a,b\n1,2\n3,4\n", "points.csv: has 2 columns (a, b); needs three columns"),
        ("a,b,c,d\n1,2,3,4\n", "points.csv: has 4 columns"),
        ("a,b,c\n1,x,0\n2,3,1\n4,5,0\n6,7,1\n", "points.csv: column 'b' is not numeric (row 2: 'x')"),
        ("a,b,c\n1,2,r\n2,3,g\n4,5,b\n6,7,r\n", "classification needs exactly two label values, found 3"),
        ("a,b,c\n1,2,0\n", "points.csv: 1 complete rows; the Playground needs at least 4"),
        ("", "points.csv: the file is empty"),
    ],
)
def test_each_bad_csv_gets_one_message_naming_the_file(tmp_path, text, message):
    with pytest.raises(DataError, match=message.replace("(", r"\(").replace(")", r"\)")):
        points_from_csv(write(tmp_path, text), "classification")


def test_two_classes_of_an_image_dataset_by_principal_components():
    digits = load_dataset(LoadRequest("digits"))
    points = points_from_dataset(digits, ("0", "1"))
    assert points.axis_names == ("PC1", "PC2") and len(points.labels) == 360
    assert set(np.unique(points.labels)) == {-1.0, 1.0}
    assert np.abs(points.points).max() == pytest.approx(6)
    # Zeros and ones are far apart in pixel space: the first component alone nearly separates them.
    first = points.points[:, 0]
    assert abs(np.corrcoef(first, points.labels)[0, 1]) > 0.8


def test_two_columns_of_a_table_and_bad_choices():
    iris = load_dataset(LoadRequest("iris"))
    column_a, column_b = iris.features.columns[2], iris.features.columns[3]
    points = points_from_dataset(iris, (iris.classes[0], iris.classes[1]), (column_a, column_b))
    assert points.axis_names == (column_a, column_b) and len(points.labels) == 100
    with pytest.raises(DataError, match="choose two different classes"):
        points_from_dataset(iris, (iris.classes[0], iris.classes[0]))
    with pytest.raises(DataError, match="'colour' is not a numeric column"):
        points_from_dataset(iris, iris.classes[:2], ("colour", column_b))
