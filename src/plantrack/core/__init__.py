"""The domain: the plan's model, units and roles, rules, the time model, selection, report data and wording. No I/O."""
