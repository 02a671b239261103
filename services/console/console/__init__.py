"""The web console: the KIM Contest's pages for people (a backend-for-frontend)."""
