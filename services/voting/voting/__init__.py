"""The people's choice vote (Juara Favorit): its own service, port 8005."""
