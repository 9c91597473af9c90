"""Listens to budget: a saved forecast may open a deficit case (D1)."""
