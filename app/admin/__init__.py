"""Platform administration: users, organisations, parks and memberships (views over other areas' services)."""
