"""The notifications domain: recipients and what they subscribe to, the
templates that tell an event to a person, and deliveries on each channel."""
