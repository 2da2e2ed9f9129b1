"""The Microsoft Teams front end: activities in, Adaptive Cards out, over the conversation core."""
