"""MaxCompute statement handlers."""
