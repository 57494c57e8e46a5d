"""A Prefect cluster of the scaled shape on this machine: `dutyflow cluster up|status|down`."""
