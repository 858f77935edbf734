"""Business parks, their area and company register, and the PPS cycle with its steps."""
