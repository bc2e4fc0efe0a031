"""The Voters page's tables and charts (its numbers: ``council.stats.voters``)."""
