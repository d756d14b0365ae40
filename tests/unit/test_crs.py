"""The GCJ-02 transform against published test vectors, round trips and its edges."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Polygon, box

from geo.core.crs import (
    gcj02_to_wgs84,
    geometry_gcj02_to_wgs84,
    geometry_wgs84_to_gcj02,
    in_china,
    wgs84_to_gcj02,
)

# (wgs_lon, wgs_lat, gcj_lon, gcj_lat). From the test suites of googollee/eviltransform
# (go/transform_test.go and python/test.py, the same three pairs: Shanghai, Shenzhen,
# Beijing), generated with the same Krasovsky constants as geo.core.crs.
EVILTRANSFORM_PAIRS = [
    (121.5272106, 31.1774276, 121.531541859215, 31.17530398364597),
    (113.912316, 22.543847, 113.9171764808363, 22.540796131694766),
    (116.377817, 39.911954, 116.38404722455657, 39.91334545536069),
]

# hujiulong/gcoord, test/unit/crs/GCJ02.spec.js: GCJ02 -> WGS84 of [123, 45], checked there
# with toBeCloseTo(..., 5), i.e. to within 5e-6.
GCOORD_GCJ = (123.0, 45.0)
GCOORD_WGS = (122.99395597, 44.99804071)

GEOD = Geod(ellps="WGS84")


@pytest.mark.parametrize(("wgs_lon", "wgs_lat", "gcj_lon", "gcj_lat"), EVILTRANSFORM_PAIRS)
def test_forward_matches_eviltransform(wgs_lon, wgs_lat, gcj_lon, gcj_lat):
    lon, lat = wgs84_to_gcj02(wgs_lon, wgs_lat)
    assert lon == pytest.approx(gcj_lon, abs=1e-9)
    assert lat == pytest.approx(gcj_lat, abs=1e-9)


@pytest.mark.parametrize(("wgs_lon", "wgs_lat", "gcj_lon", "gcj_lat"), EVILTRANSFORM_PAIRS)
def test_inverse_matches_eviltransform(wgs_lon, wgs_lat, gcj_lon, gcj_lat):
    lon, lat = gcj02_to_wgs84(gcj_lon, gcj_lat)
    # eviltransform's own exact inverse only promises 0.5 m; ours recovers the input.
    assert lon == pytest.approx(wgs_lon, abs=1e-9)
    assert lat == pytest.approx(wgs_lat, abs=1e-9)


def test_inverse_matches_gcoord():
    lon, lat = gcj02_to_wgs84(*GCOORD_GCJ)
    assert abs(lon - GCOORD_WGS[0]) < 5e-6
    assert abs(lat - GCOORD_WGS[1]) < 5e-6


def test_vectorised_over_arrays_matches_scalars():
    wgs_lon = np.array([p[0] for p in EVILTRANSFORM_PAIRS])
    wgs_lat = np.array([p[1] for p in EVILTRANSFORM_PAIRS])
    lon, lat = wgs84_to_gcj02(wgs_lon, wgs_lat)
    np.testing.assert_allclose(lon, [p[2] for p in EVILTRANSFORM_PAIRS], atol=1e-9)
    np.testing.assert_allclose(lat, [p[3] for p in EVILTRANSFORM_PAIRS], atol=1e-9)
    assert lon.shape == (3,)


def china_grid() -> tuple[np.ndarray, np.ndarray]:
    lon, lat = np.meshgrid(np.arange(73.5, 135.0, 0.37), np.arange(3.9, 53.5, 0.29))
    return lon.ravel(), lat.ravel()


def test_round_trip_over_china_is_below_a_millimetre():
    lon, lat = china_grid()
    back_lon, back_lat = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert np.abs(back_lon - lon).max() < 1e-6
    assert np.abs(back_lat - lat).max() < 1e-6
    # Sub-centimetre, as the docstring promises (1e-8° is about 1 mm).
    assert max(np.abs(back_lon - lon).max(), np.abs(back_lat - lat).max()) < 1e-8


def test_more_iterations_converge():
    lon, lat = china_grid()
    gcj = wgs84_to_gcj02(lon, lat)
    errors = [np.abs(gcj02_to_wgs84(*gcj, iterations=k)[0] - lon).max() for k in (1, 2, 3)]
    assert errors[0] > errors[1] > errors[2]
    assert errors[0] > 1e-6  # one step is not enough: the default must do more


def test_iterations_must_be_positive():
    with pytest.raises(ValueError, match="iterations"):
        gcj02_to_wgs84(115.0, 28.0, iterations=0)


@pytest.mark.parametrize(
    ("name", "lon", "lat"),
    [("Hong Kong", 114.17, 22.30), ("Nanchang", 115.89, 28.68), ("Xiamen", 118.09, 24.48)],
)
def test_offset_in_south_china_is_about_600_m_south_east(name, lon, lat):
    gcj_lon, gcj_lat = wgs84_to_gcj02(lon, lat)
    _, _, metres = GEOD.inv(lon, lat, float(gcj_lon), float(gcj_lat))
    assert 450 < metres < 700, name
    assert gcj_lon > lon and gcj_lat < lat  # east and south, as seen in the Amap data


@pytest.mark.parametrize(
    ("lon", "lat"),
    [(0.0, 0.0), (-74.006, 40.7128), (139.69, 35.69), (2.35, 48.86), (72.0, 30.0), (100.0, 56.0)],
)
def test_points_outside_china_are_unchanged(lon, lat):
    assert not in_china(lon, lat)
    assert tuple(map(float, wgs84_to_gcj02(lon, lat))) == (lon, lat)
    assert tuple(map(float, gcj02_to_wgs84(lon, lat))) == (lon, lat)


def test_mixed_inside_and_outside():
    lon = np.array([115.89, -74.0])
    lat = np.array([28.68, 40.7])
    out_lon, out_lat = wgs84_to_gcj02(lon, lat)
    assert out_lon[0] != lon[0] and out_lat[0] != lat[0]
    assert out_lon[1] == lon[1] and out_lat[1] == lat[1]


def test_inputs_are_not_modified():
    lon, lat = china_grid()
    lon_before, lat_before = lon.copy(), lat.copy()
    wgs84_to_gcj02(lon, lat)
    gcj02_to_wgs84(lon, lat)
    np.testing.assert_array_equal(lon, lon_before)
    np.testing.assert_array_equal(lat, lat_before)


def test_geometry_round_trip_and_shared_vertices():
    left = box(115.0, 28.0, 115.5, 28.5)
    right = box(115.5, 28.0, 116.0, 28.5)
    geoms = np.array([left, right])
    wgs = geometry_gcj02_to_wgs84(geoms)
    # A coverage stays a coverage: the shared edge moves identically in both polygons.
    assert shapely.coverage_is_valid(wgs)
    assert not shapely.equals_exact(wgs[0], left, tolerance=1e-4)  # it did move
    back = geometry_wgs84_to_gcj02(wgs)
    assert all(shapely.equals_exact(b, g, tolerance=1e-9) for b, g in zip(back, geoms, strict=True))
    # New objects; the input is as it was.
    assert geoms[0].equals_exact(box(115.0, 28.0, 115.5, 28.5), 0)


def test_geometry_shift_matches_point_transform():
    poly = Polygon([(115.0, 28.0), (116.0, 28.0), (116.0, 29.0)])
    moved = geometry_wgs84_to_gcj02(poly)
    lon, lat = wgs84_to_gcj02([115.0, 116.0, 116.0, 115.0], [28.0, 28.0, 29.0, 28.0])
    np.testing.assert_allclose(shapely.get_coordinates(moved), np.column_stack([lon, lat]))
