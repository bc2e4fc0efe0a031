"""Joystream council dashboard: fetching, storage, statistics and charts."""
