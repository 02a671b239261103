"""What operators use to keep the system healthy: dead letters and replay."""
