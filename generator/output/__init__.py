"""Plain outputs of a results model: JSON (the contract), CSV and a terminal table."""
