"""Snowflake statement handlers."""
