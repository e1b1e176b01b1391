"""Results as each dialect's client prints them: `common` (value text, csv/tsv/json/vertical,
box widths), `maxcompute` (odpscmd's boxes and streams), `snowflake` (SnowSQL's). Which one
renders a result is the session's `ShellDialect`'s choice (shell/dialect.py)."""
