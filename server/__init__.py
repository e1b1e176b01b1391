"""`cloneshell serve`: the warehouse behind the vendors' HTTP protocols, for real clients (the
Snowflake connectors, the Snowflake CLI, dbt, PyODPS). A sibling of the shell: it uses the engine
facade, and neither the engine nor the shell imports it."""
