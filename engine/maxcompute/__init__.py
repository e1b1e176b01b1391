"""The MaxCompute dialect: its names, privileges, types, errors and statement handlers."""
