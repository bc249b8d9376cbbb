"""Survey contracts with municipalities, their progress and results, and candidate houses."""
