"""Statistics per page: pure pandas functions, DataFrames in, DataFrames out."""
