"""The judging domain: panel, rubric, score sheets, completion, ranking, announcement."""
