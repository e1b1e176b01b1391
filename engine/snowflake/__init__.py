"""The Snowflake dialect: its names, roles, types, errors, Time Travel, stages, pipes, streams,
tasks and statement handlers."""
