"""RL1xx: saying the same thing again."""
