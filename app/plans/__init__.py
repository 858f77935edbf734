"""The action catalogue, the two-year action plan, its calendar, and the city-wide tracking of plans."""
