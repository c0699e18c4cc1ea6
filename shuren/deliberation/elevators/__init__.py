"""Elevator retrofits (加装电梯) per stairwell: stages, vote, consents, objections, costs."""
