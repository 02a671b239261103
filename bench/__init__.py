"""The benchmark of the whole pipeline against the broker's own ceiling:
`python -m bench` (or `scripts/bench`). See bench/README.md."""
