"""What a domain may use: errors people read, languages, the clock, the aggregate
base and the one retry policy. Imports nothing else of the project."""
