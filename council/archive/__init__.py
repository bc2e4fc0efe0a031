"""The council's own records of its terms, imported into the bundled snapshot.

- ``importer``: ``python -m council.archive PATH...``, the testnet term reports (2020-2022);
- ``parse``, ``extra``, ``rows``: reading those reports, the leaderboard and KPI earnings,
  and turning them into cache rows;
- ``mainnet``, ``mainnet_read``, ``mainnet_checks``: the mainnet record (the DAO's Notion
  backup CSVs);
- ``merge``: a new import keeps what the archive folder already holds;
- ``supersede``: fetched rounds and councils replace the record's rows for the same terms;
- ``views``: what the pages show from the archive.
"""
