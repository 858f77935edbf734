"""Tests of the plans area: goals, the action catalogue, the two-year plan, its calendar and the tracking."""
