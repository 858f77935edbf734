"""Organisations taking part in the partnership, their representatives and declarations."""
