"""RL2xx: hedges, expectation hedges, weasel attributions and intensifiers, on a budget."""
