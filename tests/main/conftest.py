"""Fixtures of the home page tests: the camera fixtures of tests/cameras, for the camera officer's home."""

from tests.cameras.conftest import camera, camera_officer, network, with_area  # noqa: F401
