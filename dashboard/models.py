"""Rollups for the dashboard (see dashboard/rollups.py)."""
