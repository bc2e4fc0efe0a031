"""Working groups: their records from the query node, statistics and page views.

``records``: query node records -> cache rows; ``stats``: pure pandas statistics per group
and term; ``views``: display tables and charts for the Working groups page.
"""
