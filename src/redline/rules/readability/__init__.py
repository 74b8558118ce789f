"""RL3xx: prose that is hard to read."""
